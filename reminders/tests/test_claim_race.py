"""
At most one reminder per person per local day under concurrent passes (two
beat schedulers, a redelivered task, two workers), on PostgreSQL's row locks.
"""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from reminders.models import ReminderSchedule
from reminders.services import reminder_claim, reminders_send_due
from reminders.tests.factories import RemindedUserFactory
from todos.tests.factories import TodoFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two connections must race on one row "
        "(set DATABASE_URL=postgres://...)",
    ),
]

NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
SCHEDULED = datetime.datetime(2026, 5, 4, 0, 0, tzinfo=datetime.UTC)


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def in_thread(target, results: list) -> threading.Thread:
    def run() -> None:
        try:
            results.extend(target())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_pass_that_meets_a_claim_in_progress_does_not_claim_it_again():
    """
    Deterministic: this connection claims the day but has not committed when
    the other pass, which read the row before, tries to claim it too; its
    UPDATE waits on the row, then finds it moved and claims nothing.
    """
    user = RemindedUserFactory.create(schedule=SCHEDULED)
    TodoFactory.create(owner=user, due_date=datetime.date(2026, 5, 1))
    stale = ReminderSchedule.objects.select_related("user").get(user=user)
    other_pass: list = []

    with transaction.atomic():
        assert reminder_claim(schedule=stale, now=NOW) == datetime.date(2026, 5, 4)
        thread = in_thread(lambda: reminders_send_due(now=NOW), other_pass)
        deadline = time.monotonic() + 30
        while lock_waiters() == 0:
            assert time.monotonic() < deadline, "the other pass never reached the row"
            time.sleep(0.02)
    thread.join(timeout=30)

    assert not thread.is_alive()
    assert other_pass == []
    assert mail.outbox == []
    schedule = ReminderSchedule.objects.get(user=user)
    assert (schedule.sent_on, schedule.due_at) == (
        datetime.date(2026, 5, 4),
        datetime.datetime(2026, 5, 5, 8, 0, tzinfo=datetime.UTC),
    )


def test_two_passes_at_once_mail_each_person_once():
    people = RemindedUserFactory.create_batch(120, schedule=SCHEDULED)
    for person in people:
        TodoFactory.create(owner=person, due_date=datetime.date(2026, 5, 1))
    start = threading.Barrier(2)
    claims: list = []

    def a_pass() -> list:
        start.wait()
        return reminders_send_due(now=NOW)

    threads = [in_thread(a_pass, claims), in_thread(a_pass, claims)]
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(claims) == sorted((person.pk, datetime.date(2026, 5, 4)) for person in people)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
