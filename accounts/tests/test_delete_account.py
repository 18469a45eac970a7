"""
DELETE /api/v1/auth/me/ {password}: the account is locked at once, and a job
(eager in the suite, run when the request's transaction commits) deletes it
and everything in it, in batches, then mails a confirmation once.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.erasure import erase_order
from accounts.models import User
from accounts.tasks import erase_account, erase_overdue_accounts
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_throttling import assert_throttled
from accounts.tests.utils import (
    ME,
    REGISTER,
    STRONG_PASSWORD,
    TOKEN,
    login,
    me_status,
    refresh_status,
)
from calendars.models import CalendarFeed
from core.models import IdempotencyKey
from lists.models import Invitation, List, Membership, Role
from lists.tests.factories import ListFactory, share
from reminders.models import ReminderSchedule
from tests.clients import make_client
from tests.live import HOST, SmtpSink
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db


def request_deletion(client, password=DEFAULT_PASSWORD, *, run_job=True):
    """Ask for the deletion; the job runs at the commit unless ``run_job`` is false."""
    with TestCase.captureOnCommitCallbacks(execute=run_job) as callbacks:
        response = client.delete(ME, {"password": password}, format="json")
    return response, callbacks


def give_data(user: User) -> None:
    TodoFactory.create_batch(5, owner=user)
    client = make_client(user)
    assert (
        client.post("/api/v1/todos/", {"title": "x"}, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    )
    assert client.patch(ME, {"reminder_time": "08:00"}, format="json").status_code == 200
    assert client.post("/api/v1/auth/calendar-feed/").status_code == 201
    LogEntry.objects.log_actions(user_id=user.pk, queryset=[user], action_flag=CHANGE)


def test_a_wrong_or_missing_password_is_a_400_and_changes_nothing(api_client, user, mailoutbox):
    tokens = login(api_client, user.email)
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    wrong, _ = request_deletion(client, "not-the-password")
    missing = client.delete(ME, {}, format="json")
    not_a_string = client.delete(ME, {"password": 12}, format="json")

    assert wrong.status_code == 400
    assert wrong.json() == {"password": ["The password is not correct."]}
    assert missing.status_code == 400
    assert "password" in missing.json()
    assert not_a_string.status_code == 400
    user.refresh_from_db()
    assert user.is_active
    assert user.deletion_requested_at is None
    assert me_status(tokens["access"]) == 200
    assert refresh_status(tokens["refresh"]) == 200
    assert mailoutbox == []


def test_at_once_the_account_cannot_sign_in_and_every_token_is_dead(api_client, user):
    first = login(api_client, user.email)
    second = login(make_client(), user.email)
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {first['access']}")

    response, callbacks = request_deletion(client, run_job=False)

    assert response.status_code == 202
    assert "detail" in response.json()
    assert len(callbacks) == 1  # the job, queued, not run yet
    for tokens in (first, second):
        assert me_status(tokens["access"]) == 401
        assert refresh_status(tokens["refresh"]) == 401
    signing_in = make_client().post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})
    assert signing_in.status_code == 401
    # Until the job is done, the address is still taken: signing up makes no account.
    again = make_client().post(REGISTER, {"email": user.email, "password": STRONG_PASSWORD})
    assert again.status_code == 202
    assert list(User.objects.filter(email=user.email).values_list("pk", flat=True)) == [user.pk]


def test_the_job_deletes_everything_of_the_account_and_mails_once(
    auth_client, user, other_user, mailoutbox
):
    give_data(user)
    give_data(other_user)
    login(make_client(), user.email)

    response, _ = request_deletion(auth_client)

    assert response.status_code == 202
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Todo.objects.filter(owner_id=user.pk).exists()
    assert not IdempotencyKey.objects.filter(owner_id=user.pk).exists()
    assert not LogEntry.objects.filter(user_id=user.pk).exists()
    assert not OutstandingToken.objects.filter(user_id=user.pk).exists()
    assert not OutstandingToken.objects.filter(user__isnull=True).exists()
    assert not ReminderSchedule.objects.filter(user_id=user.pk).exists()
    # And no row of any app refers to the account any more.
    for model, field in erase_order():
        assert not model._base_manager.filter(**{field: user.pk}).exists(), model
    assert ReminderSchedule.objects.filter(user=other_user).exists()
    assert not CalendarFeed.objects.filter(user_id=user.pk).exists()
    assert CalendarFeed.objects.filter(user=other_user).exists()
    # Nobody else's.
    assert Todo.objects.filter(owner=other_user).count() == 6
    assert IdempotencyKey.objects.filter(owner=other_user).count() == 1
    assert LogEntry.objects.filter(user=other_user).count() == 1
    (mail,) = mailoutbox
    assert mail.to == [user.email]
    assert mail.subject == "Your todo account is deleted"
    assert "You can sign up again with this address" in mail.body


def test_a_retried_job_does_nothing_twice(auth_client, user, mailoutbox):
    give_data(user)
    request_deletion(auth_client)

    erase_account.apply(kwargs={"user_id": user.pk, "email": user.email, "name": user.name})

    assert len(mailoutbox) == 1


def test_a_job_stopped_part_way_finishes_on_its_next_try(auth_client, user, mailoutbox, settings):
    """The first try committed two batches, then failed: the next one carries on."""
    settings.ACCOUNT_ERASE_BATCH_SIZE = 2
    give_data(user)
    _, callbacks = request_deletion(auth_client, run_job=False)
    Todo.objects.filter(pk__in=Todo.objects.filter(owner=user).values("pk")[:4]).delete()

    with TestCase.captureOnCommitCallbacks(execute=True):  # and the mail it queues
        callbacks[0]()

    assert not User.objects.filter(pk=user.pk).exists()
    assert not Todo.objects.filter(owner_id=user.pk).exists()
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_job_run_while_the_first_is_mailing_mails_nobody(settings):
    """
    The hourly sweep queues the job again while the first run is still at the
    mail server: the second run finds the account's row gone and queues no
    mail (a cache marker set after sending would not be there yet).
    """
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = HOST, sink.port, False
    user = UserFactory.create()
    TodoFactory.create_batch(3, owner=user)
    User.objects.filter(pk=user.pk).update(deletion_requested_at=timezone.now())
    job = {"user_id": user.pk, "email": user.email, "name": user.name}

    def run_job() -> threading.Thread:
        def run() -> None:
            try:
                erase_account.apply(kwargs=job)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    sink.holding = True  # each sender waits at the server until released
    try:
        first = run_job()
        deadline = time.monotonic() + 30
        while sink.held < 1:
            assert time.monotonic() < deadline, "the first run never reached the mail server"
            time.sleep(0.02)
        second = run_job()
        while second.is_alive() and sink.held < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        sink.holding = False
        for thread in (first, second):
            thread.join(timeout=30)
        sink.stop()

    assert not User.objects.filter(pk=user.pk).exists()
    assert [message["To"] for message in sink.messages] == [user.email]


def test_the_job_deletes_in_batches_of_the_setting(auth_client, user, settings):
    settings.ACCOUNT_ERASE_BATCH_SIZE = 2
    Todo.objects.bulk_create(TodoFactory.build_batch(7, owner=user))

    with CaptureQueriesContext(connection) as context:
        request_deletion(auth_client)

    todo_deletes = [
        query["sql"]
        for query in context.captured_queries
        if query["sql"].startswith('DELETE FROM "todos_todo" WHERE "todos_todo"."id" IN')
    ]
    assert len(todo_deletes) == 4  # 2 + 2 + 2 + 1
    assert not Todo.objects.filter(owner_id=user.pk).exists()


def test_the_address_can_sign_up_again_once_the_job_is_done(auth_client, user):
    request_deletion(auth_client)

    response = make_client().post(REGISTER, {"email": user.email, "password": STRONG_PASSWORD})

    assert response.status_code == 202
    assert User.objects.get(email=user.email).pk != user.pk


def test_deleting_spends_the_auth_budget(auth_client, user):
    for _ in range(10):
        assert auth_client.delete(ME, {"password": "wrong"}, format="json").status_code == 400

    response, _ = request_deletion(auth_client)

    assert_throttled(response)
    assert User.objects.get(pk=user.pk).is_active


def test_reading_and_changing_the_profile_spend_no_auth_budget(auth_client):
    for _ in range(11):
        assert auth_client.get(ME).status_code == 200
    assert auth_client.patch(ME, {"name": "N"}, format="json").status_code == 200


def test_deleting_needs_a_signed_in_caller(api_client):
    UserFactory.create()
    response = api_client.delete(ME, {"password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 401


def test_the_hourly_sweep_queues_a_lost_job_again_and_leaves_running_ones(
    auth_client, user, other_user, mailoutbox
):
    """The job was lost (the broker was away): beat's sweep an hour later does it."""
    give_data(user)
    request_deletion(auth_client, run_job=False)  # queued, never run
    other_client = make_client(other_user)
    request_deletion(other_client, run_job=False)
    User.objects.filter(pk=user.pk).update(
        deletion_requested_at=timezone.now() - timedelta(hours=1, seconds=1)
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        erase_overdue_accounts.apply()

    assert not User.objects.filter(pk=user.pk).exists()
    assert not Todo.objects.filter(owner_id=user.pk).exists()
    assert [mail.to for mail in mailoutbox] == [[user.email]]
    # Asked for a moment ago: its job may still be running.
    assert User.objects.filter(pk=other_user.pk, is_active=False).exists()


def test_beat_sends_the_sweep_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["erase-overdue-accounts"]
    assert entry["task"] == erase_overdue_accounts.name


def test_the_job_deletes_the_lists_with_their_todos_members_and_invitations(
    auth_client, user, other_user
):
    in_a_day = timezone.now() + timedelta(days=1)
    mine = ListFactory.create(owner=user, name="Mine")
    share(mine, other_user)
    TodoFactory.create_batch(3, owner=user, list=mine)
    Invitation.objects.create(
        list=mine, email="x@example.com", role=Role.VIEWER, invited_by=user, expires_at=in_a_day
    )
    theirs = ListFactory.create(owner=other_user, name="Theirs")
    share(theirs, user)
    kept = TodoFactory.create(owner=other_user, list=theirs, title="Theirs stays")

    request_deletion(auth_client)

    assert not List.objects.filter(owner_id=user.pk).exists()
    assert not Todo.objects.filter(list_id=mine.pk).exists()
    assert not Membership.objects.filter(list_id=mine.pk).exists()
    assert not Invitation.objects.filter(list_id=mine.pk).exists()
    # Their membership elsewhere goes; the other person's list and todo stay.
    assert not Membership.objects.filter(user_id=user.pk).exists()
    assert Todo.objects.filter(pk=kept.pk).exists()
    assert list(Membership.objects.filter(list=theirs).values_list("user_id", flat=True)) == [
        other_user.pk
    ]
