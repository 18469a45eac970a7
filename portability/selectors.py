"""
Reads for the export: everything a person owns, as a stream of bytes.

The todos are read through a server-side cursor (PostgreSQL), ``chunk_size``
rows at a time, inside one read transaction (so the cursor streams rather than
being materialised at commit, as a cursor ``WITH HOLD`` outside a transaction
would be), and written out a chunk at a time: memory stays bounded however
many todos there are.
"""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import User
from accounts.serializers import UserSerializer
from lists.models import List, Membership, Role
from lists.selectors import invitations_pending
from todos.models import Todo

#: The JSON document's format; ``POST auth/import/`` reads this version back.
EXPORT_VERSION = 1

#: A todo's exported fields, in order: the API's, less its id, with the
#: list's name for ``list`` (an id means nothing in another account).
TODO_FIELDS = (
    "list",
    "title",
    "description",
    "done",
    "due_date",
    "completed_at",
    "created_at",
    "updated_at",
)

ORJSON_OPTIONS = orjson.OPT_UTC_Z  # the header's date-times: UTC as ``Z``

# A cell a spreadsheet would take for a formula starts with one of these; such
# a cell is written with a leading apostrophe (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


#: Read as text: a date is ISO 8601 as it is; a date-time is made so by ``iso_date_time``.
DATE_FIELDS = frozenset({"due_date"})
DATE_TIME_FIELDS = frozenset({"completed_at", "created_at", "updated_at"})
#: Made spreadsheet-safe for the CSV (``spreadsheet_safe``).
TEXT_FIELDS = frozenset({"title", "description"})


def spreadsheet_safe(name: str) -> Case:
    """A text column, with a ``'`` before a value a spreadsheet would run as a formula."""
    formula = Q()
    for start in FORMULA_STARTS:
        formula |= Q(**{f"{name}__startswith": start})
    return Case(
        When(formula, then=Concat(Value("'"), name, output_field=TextField())),
        default=F(name),
        output_field=TextField(),
    )


def owned_lists(*, owner: User) -> QuerySet[List]:
    """The lists ``owner`` owns, in their order (the inbox first, then by name)."""
    return List.objects.filter(owner=owner).order_by("sort_key", "id")


def export_lists(*, owner: User) -> list[dict[str, Any]]:
    """Each list ``owner`` owns, with its other members and pending invitations (3 queries)."""
    lists: dict[int, dict[str, Any]] = {
        list_.pk: {
            "name": list_.name,
            "is_inbox": list_.is_inbox,
            "created_at": list_.created_at,
            "members": [],
            "invitations": [],
        }
        for list_ in owned_lists(owner=owner)
    }
    members = (
        Membership.objects.filter(list__owner=owner)
        .exclude(role=Role.OWNER)
        .order_by("list_id", "created_at", "id")
        .values_list("list_id", "user__email", "user__name", "role")
    )
    for list_id, email, name, role in members:
        lists[list_id]["members"].append({"email": email, "name": name, "role": role})
    invitations = (
        invitations_pending()
        .filter(list__owner=owner)
        .order_by("list_id", "created_at", "id")
        .values_list("list_id", "email", "role", "expires_at")
    )
    for list_id, email, role, expires_at in invitations:
        lists[list_id]["invitations"].append(
            {"email": email, "role": role, "expires_at": expires_at}
        )
    return list(lists.values())


def export_rows(*, owner: User, spreadsheet: bool = False) -> Iterator[tuple[Any, ...]]:
    """
    The todos on the lists ``owner`` owns, list by list (in the lists'
    order), newest first in each, as tuples of ``TODO_FIELDS``, from one
    server-side cursor per list (each reads its list's index), dates and
    date-times as ISO 8601 text; for a ``spreadsheet`` (the CSV) with
    formulas defused and ``done`` as ``true``/``false``.

    The database does the formatting it can: dates and date-times made into
    Python objects by the driver, only to be written out again, cost a
    1M-todo export three quarters of its time (docs/benchmarks.md).
    """
    columns: list[str | Combinable] = []
    for name in TODO_FIELDS[1:]:
        if name in DATE_FIELDS | DATE_TIME_FIELDS:
            columns.append(Cast(name, output_field=TextField()))
        elif spreadsheet and name in TEXT_FIELDS:
            columns.append(spreadsheet_safe(name))
        elif spreadsheet and name == "done":
            columns.append(Case(When(done=True, then=Value("true")), default=Value("false")))
        else:
            columns.append(name)
    date_times = [index for index, name in enumerate(TODO_FIELDS) if name in DATE_TIME_FIELDS]
    for list_id, list_name in owned_lists(owner=owner).values_list("pk", "name"):
        if spreadsheet and list_name.startswith(FORMULA_STARTS):
            list_name = "'" + list_name
        rows = (
            Todo.objects.filter(list_id=list_id)
            .order_by("-created_at", "-id")
            .values_list(*columns)
            .iterator(chunk_size=settings.EXPORT_CHUNK_SIZE)
        )
        for row in rows:
            values = [list_name, *row]
            for index in date_times:
                values[index] = iso_date_time(values[index])
            yield tuple(values)


def iso_date_time(text: str | None) -> str | None:
    """
    A UTC date-time as the database writes it as text (``2030-01-31
    12:00:00.5+00`` on PostgreSQL, its session in UTC; no offset on SQLite)
    as the API writes it: ``2030-01-31T12:00:00.500000Z`` (no fraction for
    a whole second).
    """
    if text is None:
        return None
    text = text.replace(" ", "T", 1).removesuffix("+00")
    whole, dot, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(6, '0')}Z" if dot else f"{whole}Z"


def export_header(*, owner: User) -> dict[str, Any]:
    """Everything in the JSON document but its todos."""
    return {
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "profile": UserSerializer(owner).data,
        "lists": export_lists(owner=owner),
    }


def in_read_transaction(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Produce ``chunks`` inside one transaction: one snapshot, and a cursor that streams."""
    with transaction.atomic():
        yield from chunks


def batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """Lists of up to ``EXPORT_CHUNK_SIZE`` rows: one write each."""
    while batch := list(itertools.islice(rows, settings.EXPORT_CHUNK_SIZE)):
        yield batch


def export_json(*, owner: User) -> Iterator[bytes]:
    """
    The JSON document, ``{"version", "exported_at", "profile", "lists", "todos": [...]}``,
    in pieces.
    """

    def chunks() -> Iterator[bytes]:
        header = orjson.dumps(export_header(owner=owner), option=ORJSON_OPTIONS)
        yield header[:-1] + b',"todos":['
        separator = b""
        for batch in batches(export_rows(owner=owner)):
            # One call per chunk: the list's brackets are cut off.
            todos = [dict(zip(TODO_FIELDS, row, strict=True)) for row in batch]
            yield separator + orjson.dumps(todos)[1:-1]
            separator = b","
        yield b"]}\n"

    return in_read_transaction(chunks())


def export_csv(*, owner: User) -> Iterator[bytes]:
    """One row per todo, with a header row: ``TODO_FIELDS``."""

    def chunks() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(TODO_FIELDS)
        for batch in batches(export_rows(owner=owner, spreadsheet=True)):
            writer.writerows(batch)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue().encode()

    return in_read_transaction(chunks())
