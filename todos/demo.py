"""
Realistic demo todos, made fast: rows generated in chunks and written with
PostgreSQL's COPY, on parallel connections (batched INSERTs elsewhere).
``manage.py seed_demo`` uses it.
"""

import datetime
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection, models, transaction
from psycopg.copy import QueuedLibpqWriter

from todos.models import Todo

VERBS = (
    "Buy", "Call", "Email", "Fix", "Clean", "Book", "Pay", "Plan", "Write", "Read",
    "Review", "Send", "Order", "Return", "Renew", "Cancel", "Schedule", "Update",
    "Check", "Pick up", "Drop off", "Prepare", "Organise", "Sort", "Back up", "Print",
    "Sign", "Water", "Paint", "Repair", "Replace", "Wash", "Visit", "Finish", "Start",
    "Draft", "Ask about", "Look into", "Practise", "Test",
)  # fmt: skip
ADJECTIVES = (
    "new", "old", "spare", "broken", "monthly", "weekly", "annual", "kitchen",
    "garden", "office", "bathroom", "summer", "winter", "birthday", "team", "family",
    "blue", "small", "big", "quarterly", "overdue", "shared", "second", "front",
    "back", "local", "spring", "autumn", "morning", "evening",
)  # fmt: skip
NOUNS = (
    "groceries", "dentist", "plumber", "invoice", "report", "passport", "car",
    "bike", "tyres", "insurance", "rent", "taxes", "presentation", "slides",
    "budget", "newsletter", "garden", "fence", "roof", "window", "door", "lamp",
    "shelf", "desk", "chair", "laptop", "phone", "charger", "printer", "router",
    "backup", "photos", "album", "tickets", "flight", "hotel", "train", "visa",
    "doctor", "vet", "cat", "dog", "plants", "flowers", "gift", "card", "party",
    "dinner", "lunch", "recipe", "bread", "coffee", "milk", "eggs", "library",
    "books", "course", "exam", "homework", "meeting", "agenda", "notes", "contract",
    "lease", "bank", "loan", "account", "password", "subscription", "gym",
    "membership", "haircut", "shoes", "jacket", "laundry", "curtains", "carpet",
    "boiler", "heating", "gutter", "hedge", "lawn", "mower", "paint", "bins",
    "recycling", "parcel", "letter", "forms", "receipts", "warranty", "manual",
    "battery", "bulbs", "tools", "ladder", "drill", "blog post", "talk", "review",
    "roadmap", "proposal", "estimate", "quote", "timesheet", "expenses", "survey",
)  # fmt: skip
FILLER = (
    "the", "a", "before", "after", "with", "for", "about", "and", "on", "by",
    "from", "at", "next", "this", "every", "until", "again", "soon", "first",
    "maybe", "also", "only", "still", "then", "later", "today", "tomorrow",
    "week", "friday", "monday", "weekend", "Anna", "Ben", "Chris", "Dana", "mum",
    "dad", "the landlord", "the bank", "the school", "the office", "if possible",
    "not urgent", "ask twice", "keep the receipt", "compare prices", "two copies",
)  # fmt: skip
DESCRIPTION_WORDS = ADJECTIVES + NOUNS + FILLER

# What share of todos are done, have no due date, have no description.
DONE_SHARE = 0.4
NO_DUE_DATE_SHARE = 0.3
NO_DESCRIPTION_SHARE = 0.35
# Due dates fall within this many days either side of today; todos were
# created over this many past days.
DUE_DATE_SPREAD_DAYS = 180
CREATED_OVER_DAYS = 3 * 365
CHUNK = 20_000
POOL = 10_000  # distinct titles, and descriptions, per run

COLUMNS = (
    "owner_id",
    "list_id",
    "title",
    "description",
    "done",
    "due_date",
    "completed_at",
    "created_at",
    "updated_at",
)
# Binary COPY: the server parses no text.
COLUMN_TYPES = (
    "int8",
    "int8",
    "text",
    "text",
    "bool",
    "date",
    "timestamptz",
    "timestamptz",
    "timestamptz",
)
# owner_id, list_id, title, description, done, due_date, completed_at, created_at, updated_at
Row = tuple[
    int, int, str, str, bool, datetime.date | None, datetime.datetime | None, datetime.datetime,
    datetime.datetime,
]  # fmt: skip


def demo_rows(
    *,
    owner_id: int,
    list_ids: Sequence[int],
    count: int,
    now: datetime.datetime,
    rng: random.Random,
) -> Iterator[list[Row]]:
    """
    ``count`` todos in chunks of ``CHUNK`` rows, oldest first, so that ids
    grow with ``created_at`` as they do in a real service; dealt out over the
    lists in turn, so each gets the same share of every period.
    """
    # Titles, descriptions and due dates are drawn from pools made up front:
    # a million rows cost a few draws each, not dozens.
    titles = [_title(rng) for _ in range(POOL)]
    descriptions = [_description(rng) for _ in range(POOL)]
    today = now.date()
    due_dates = [
        None if rng.random() < NO_DUE_DATE_SHARE else today + datetime.timedelta(days=offset)
        for offset in range(-DUE_DATE_SPREAD_DAYS, DUE_DATE_SPREAD_DAYS + 1)
    ]
    span = datetime.timedelta(days=CREATED_OVER_DAYS).total_seconds()
    start = now - datetime.timedelta(seconds=span)
    step = span / max(count, 1)
    month = 30 * 86_400.0
    timedelta, random_, choice = datetime.timedelta, rng.random, rng.choice
    for first in range(0, count, CHUNK):
        chunk = []
        for index in range(first, min(first + CHUNK, count)):
            created = (index + random_()) * step
            created_at = start + timedelta(seconds=created)
            updated_at = created_at + timedelta(seconds=random_() * min(span - created, month))
            done = random_() < DONE_SHARE
            chunk.append(
                (
                    owner_id,
                    list_ids[index % len(list_ids)],
                    choice(titles),
                    choice(descriptions),
                    done,
                    choice(due_dates),
                    updated_at if done else None,
                    created_at,
                    updated_at,
                )
            )
        yield chunk


def _title(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {' '.join(rng.choices(ADJECTIVES + NOUNS, k=rng.randint(1, 3)))}"


def _description(rng: random.Random) -> str:
    if rng.random() < NO_DESCRIPTION_SHARE:
        return ""
    return " ".join(rng.choices(DESCRIPTION_WORDS, k=rng.randint(4, 16))).capitalize() + "."


def seed_todos(
    *,
    owner_id: int,
    list_ids: Sequence[int],
    count: int,
    now: datetime.datetime,
    rng: random.Random,
    progress: Callable[[int], object],
    jobs: int = 1,
) -> None:
    """
    Add ``count`` demo todos to lists of one owner, calling ``progress(rows)``
    after each chunk. Memory holds a chunk per job, whatever ``count`` is.

    On PostgreSQL: ``jobs`` COPY streams on as many connections, each one
    transaction, taking turns at the chunks (so ids still follow created_at),
    which puts that many server processes to work on the index writes. Called
    inside a transaction, it stays in it: one COPY on this connection, since
    other connections could not see what the transaction has not committed.
    Elsewhere: batched INSERTs, one transaction.
    """
    chunks = demo_rows(owner_id=owner_id, list_ids=list_ids, count=count, now=now, rng=rng)
    if connection.vendor != "postgresql":
        _insert(chunks, progress)
    elif jobs == 1 or connection.in_atomic_block:
        _copy(chunks, progress)
    else:
        lock = threading.Lock()

        def take_turns() -> Iterator[list[Row]]:
            while True:
                with lock:
                    chunk = next(chunks, None)
                if chunk is None:
                    return
                yield chunk

        def report(rows: int) -> None:
            with lock:
                progress(rows)

        def job() -> None:
            try:
                _copy(take_turns(), report)
            finally:
                connection.close()  # this thread's own connection

        with ThreadPoolExecutor(jobs) as pool:
            for future in [pool.submit(job) for _ in range(jobs)]:
                future.result()


def _copy(chunks: Iterator[list[Row]], progress: Callable[[int], object]) -> None:
    table = connection.ops.quote_name(Todo._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        # The trigram (GIN) indexes queue new rows and merge them in batches:
        # bigger batches cost less. Merge what is left before committing, so
        # searches do not wade through a long queue.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL gin_pending_list_limit = '128MB'")
        # psycopg's own cursor: Django's wrapper takes no writer. The queued
        # writer sends to the server from a thread while this one makes rows.
        raw = cursor.cursor
        sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            copy.set_types(COLUMN_TYPES)
            for chunk in chunks:
                for row in chunk:
                    copy.write_row(row)
                progress(len(chunk))
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
            [Todo._meta.db_table],
        )


def _insert(chunks: Iterator[list[Row]], progress: Callable[[int], object]) -> None:
    # Not bulk_create: it would stamp every created_at with now (auto_now_add).
    table = connection.ops.quote_name(Todo._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    by_column = {field.column: field for field in Todo._meta.concrete_fields}
    # Only dates and times need the backend's form (SQLite stores text); ids,
    # titles and flags go as they are, so a million rows make 4 million
    # conversions, not 9 million.
    dates = [
        (index, by_column[column])
        for index, column in enumerate(COLUMNS)
        if isinstance(by_column[column], models.DateField)  # DateTimeField is one too
    ]
    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608 (names only)

    def prepared(row: Row) -> list[Any]:
        values: list[Any] = list(row)
        for index, field in dates:
            values[index] = field.get_db_prep_value(values[index], connection)
        return values

    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in chunks:
            cursor.executemany(insert, [prepared(row) for row in chunk])
            progress(len(chunk))
