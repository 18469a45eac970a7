"""
The calendar feed of one person with 100,000 open todos with due dates: the
bounded feed as served, against the unbounded document it used to build.

Fills the database DATABASE_URL points at (a throwaway PostgreSQL one, migrated)
with one account (``feed-bench@example.com``) holding N open todos in its
inbox, due on days spread over two years either side of today. Then it times
the feed through Django's test client (in-process, the view and its two
queries), and builds the document of every dated todo once, as the feed did
before it was bounded, with the process's peak RSS before and after.

    createdb todo_bench_feed
    export DATABASE_URL=postgres://$USER@127.0.0.1:5432/todo_bench_feed
    DJANGO_DEBUG=true .venv/bin/python manage.py migrate
    DJANGO_DEBUG=true .venv/bin/python scripts/calendar_feed_bench.py --todos 100000
"""

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from calendars import services  # noqa: E402
from calendars.documents import feed_document  # noqa: E402
from lists.models import List  # noqa: E402
from todos import selectors as todo_selectors  # noqa: E402
from todos.models import Todo  # noqa: E402

EMAIL = "feed-bench@example.com"


def person_with_todos(count: int) -> User:
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=EMAIL, password=None)  # never signs in
    inbox = List.objects.get(owner=user, is_inbox=True)
    missing = count - Todo.objects.filter(owner=user).count()
    today = timezone.now().date()
    spread = random.Random(1)  # noqa: S311 - due dates, not secrets
    Todo.objects.bulk_create(
        (
            Todo(
                owner=user,
                list=inbox,
                title=f"Todo {i}",
                due_date=today + datetime.timedelta(days=spread.randint(-730, 730)),
            )
            for i in range(max(missing, 0))
        ),
        batch_size=5000,
    )
    return user


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--todos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    user = person_with_todos(args.todos)
    path = f"/calendar/{services.feed_create(user=user)}.ics"
    # A calendar app through the proxy, on a host the settings allow.
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="localhost")
    times = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(
        f"bounded feed: {len(response.content) / 1024:.0f} KiB, "
        f"{response.content.count(b'BEGIN:VEVENT')} events, {len(queries)} queries, "
        f"{' '.join(f'{t:.2f}' for t in times)} s"
    )

    before = peak_rss_mib()
    started = time.perf_counter()
    every_dated = todo_selectors.todo_list(user=user).filter(done=False, due_date__isnull=False)
    body = feed_document(user=user, todos=every_dated, origin="https://localhost", host="localhost")
    print(
        f"unbounded document: {len(body) / 1024 / 1024:.1f} MiB, "
        f"{body.count(b'BEGIN:VEVENT')} events, {time.perf_counter() - started:.1f} s, "
        f"peak RSS {before:.0f} -> {peak_rss_mib():.0f} MiB"
    )


if __name__ == "__main__":
    main()
