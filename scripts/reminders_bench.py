"""
The cost of a reminder pass over 100,000 accounts with reminders on (issue 20):
does a pass read only the people due, by index, with no query per person not due?

Fills the database DATABASE_URL points at (a throwaway PostgreSQL one, migrated)
with N accounts (``remind-bench-<i>@example.com``) with reminders on: a zone
each from a spread of twelve, a reminder time each spread over the day's
minutes, and one overdue todo each. Their schedules are in the steady state of
beat running every five minutes: everyone whose time came before the first
measured pass already had today's mail. Then it times passes five minutes
apart (each finding the people whose time fell in its window), with the mail
tasks run in-process into a local-memory outbox, and one pass with nobody due,
and prints the selection's plan, the times and the query counts.

    createdb todo_bench_reminders
    export DATABASE_URL=postgres://$USER@127.0.0.1:5432/todo_bench_reminders
    DJANGO_DEBUG=true .venv/bin/python manage.py migrate
    DJANGO_DEBUG=true .venv/bin/python scripts/reminders_bench.py --accounts 100000
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from lists.models import List  # noqa: E402
from reminders import selectors  # noqa: E402
from reminders.models import ReminderSchedule  # noqa: E402
from reminders.services import PASS_BATCH, local_instant, reminders_send_due  # noqa: E402
from todos.models import Todo  # noqa: E402

ZONES = [
    "UTC", "Europe/London", "Europe/Paris", "Europe/Helsinki", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata",
    "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
]  # fmt: skip
PREFIX = "remind-bench-"
FIRST_PASS = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)


def fill(accounts: int) -> None:
    """The accounts and their todos, made once; their schedules, made again each run."""
    have = User.objects.filter(email__startswith=PREFIX).count()
    if have < accounts:
        make_accounts(have, accounts)
    started = time.perf_counter()
    ReminderSchedule.objects.all().delete()
    schedules = [
        steady_schedule(user)
        for user in User.objects.filter(email__startswith=PREFIX).only(
            "id", "time_zone", "reminder_time"
        )
    ]
    ReminderSchedule.objects.bulk_create(schedules, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{len(schedules)} schedules made in {time.perf_counter() - started:.1f} s")


def steady_schedule(user: User) -> ReminderSchedule:
    """As beat leaves it: whoever's time came before the first measured pass had today's mail."""
    assert user.reminder_time is not None
    already = FIRST_PASS - datetime.timedelta(minutes=5)
    zone = ZoneInfo(user.time_zone)
    today = already.astimezone(zone).date()
    due_today = local_instant(day=today, time=user.reminder_time, zone=zone)
    if due_today > already:
        return ReminderSchedule(user=user, due_at=due_today, sent_on=None)
    tomorrow = today + datetime.timedelta(days=1)
    due_at = local_instant(day=tomorrow, time=user.reminder_time, zone=zone)
    return ReminderSchedule(user=user, due_at=due_at, sent_on=today)


def make_accounts(have: int, accounts: int) -> None:
    rng = random.Random(20)  # noqa: S311 (spreads made-up data, no secret)
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}{i}@example.com",
                password=make_password(None),  # unusable: nobody signs in as these
                time_zone=rng.choice(ZONES),
                reminder_time=datetime.time(*divmod(rng.randrange(24 * 60), 60)),
            )
            for i in range(have, accounts)
        ],
        batch_size=5000,
    )
    # bulk_create sends no post_save, so the inboxes are made here too.
    inboxes = List.objects.bulk_create(
        [List(owner=user, name="Inbox", is_inbox=True) for user in users], batch_size=5000
    )
    Todo.objects.bulk_create(
        [
            Todo(owner=user, list=inbox, title="Overdue", due_date=datetime.date(2026, 4, 1))
            for user, inbox in zip(users, inboxes, strict=True)
        ],
        batch_size=5000,
    )
    print(f"made {len(users)} accounts in {time.perf_counter() - started:.1f} s")


def explain(now: datetime.datetime) -> str:
    sql, params = selectors.schedules_due(now=now)[:PASS_BATCH].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(now: datetime.datetime) -> dict[str, float]:
    select_started = time.perf_counter()
    due = len(selectors.schedules_due(now=now)[:PASS_BATCH])
    select_ms = (time.perf_counter() - select_started) * 1000
    mail.outbox = []
    # The pass's own work (reading and claiming) in a transaction, whose commit
    # then runs the queued mail tasks in-process: a worker's work, timed apart.
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            claimed = reminders_send_due(now=now)
            pass_ms = (time.perf_counter() - started) * 1000
            pass_queries = len(queries)
        mails_ms = (time.perf_counter() - started) * 1000 - pass_ms
    return {
        "due": due,
        "claimed": len(claimed),
        "mails": len(mail.outbox),
        "select_ms": select_ms,
        "pass_ms": pass_ms,
        "queries": pass_queries,
        "mail_ms": mails_ms / max(len(mail.outbox), 1),
        "mail_queries": (len(queries) - pass_queries) / max(len(mail.outbox), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--passes", type=int, default=4)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run it on PostgreSQL (DATABASE_URL)"
    fill(args.accounts)
    on = ReminderSchedule.objects.count()
    print(f"{on} accounts with reminders on; passes every 5 minutes from {FIRST_PASS:%H:%M} UTC")
    print("\nThe selection's plan at the first pass:\n" + explain(FIRST_PASS))
    rows = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for n in range(args.passes):
            now = FIRST_PASS + datetime.timedelta(minutes=5 * n)
            rows.append(measure(now))
            row = rows[-1]
            print(
                f"{now:%H:%M}  due {row['due']:3.0f}  selection {row['select_ms']:5.2f} ms  "
                f"pass {row['pass_ms']:6.1f} ms, {row['queries']:3.0f} queries "
                f"({row['pass_ms'] / max(row['claimed'], 1):.2f} ms a claim)  "
                f"then {row['mails']:3.0f} mails, {row['mail_ms']:.1f} ms and "
                f"{row['mail_queries']:.0f} queries each"
            )
        # Again at the last pass's time: nobody is due any more.
        empty = measure(FIRST_PASS + datetime.timedelta(minutes=5 * (args.passes - 1)))
    print(
        f"a pass with nobody due: {empty['queries']:.0f} query, {empty['pass_ms']:.2f} ms; "
        f"median selection {statistics.median(r['select_ms'] for r in rows):.2f} ms"
    )


if __name__ == "__main__":
    main()
