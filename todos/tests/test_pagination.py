"""
Cursor pagination of the todo list: whole walks, forwards and backwards, under
every ordering, with ties and missing due dates, against the order the database
gives for the same ``ORDER BY`` (``NULLS LAST``); cursors that are not ours.
"""

import base64
import datetime
import itertools
import json
import re
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory

LIST_URL = "/api/v1/todos/"
ORDERINGS = ["created_at", "-created_at", "due_date", "-due_date", "title", "-title"]
INVALID_CURSOR = {
    "cursor": [
        "Invalid cursor: use the `next` and `previous` links as given, with the same `ordering`."
    ]
}


def reference_ids(owner, ordering: str, **filters) -> list[int]:
    """The ids in the order a plain ORDER BY gives: the field, NULLS LAST, then id."""
    name = ordering.lstrip("-")
    if ordering.startswith("-"):
        keys = [F(name).desc(nulls_last=True), F("id").desc()]
    else:
        keys = [F(name).asc(nulls_last=True), F("id").asc()]
    todos = Todo.objects.filter(owner=owner, **filters).order_by(*keys)
    return list(todos.values_list("id", flat=True))


class Tangled(NamedTuple):
    owner: User
    client: APIClient


@pytest.fixture(scope="module")
def tangled(shared_by_the_module) -> Tangled:
    """
    41 todos full of ties: five titles (two differing only in case), due dates
    with three in seven missing and the rest on three days, created in four
    instants; someone else's todos interleaved. Made once for the module's tests.
    """

    def make(accounts: list[User]) -> Tangled:
        owner, someone_else = UserFactory.create(), UserFactory.create()
        accounts += [owner, someone_else]
        titles = itertools.cycle(["apple", "Apple", "banana", "apple pie", "zed"])
        day, earlier, latest = (
            datetime.date(2030, 1, 1),
            datetime.date(2029, 6, 1),
            datetime.date(2031, 3, 3),
        )
        dates = itertools.cycle([None, day, None, earlier, None, day, latest])
        # Each inbox named once: the factory would look it up for each todo.
        mine, theirs = (person.owned_lists.get(is_inbox=True) for person in (owner, someone_else))
        for n in range(41):
            TodoFactory.create(
                owner=owner, list=mine, title=next(titles), due_date=next(dates), done=n % 3 == 0
            )
            TodoFactory.create(owner=someone_else, list=theirs, title="apple", due_date=None)
        instants = [timezone.now() - datetime.timedelta(days=days) for days in (0, 1, 1.5, 400)]
        for n, todo in enumerate(Todo.objects.filter(owner=owner).order_by("id")):
            Todo.objects.filter(pk=todo.pk).update(created_at=instants[n % 4])
        return Tangled(owner=owner, client=make_client(owner))

    return shared_by_the_module(make)


@pytest.fixture(scope="module")
def cursor_pattern(django_db_setup, django_db_blocker) -> str:
    """The ``cursor`` parameter's pattern in the schema, read once for the module."""
    with django_db_blocker.unblock():
        schema = make_client().get("/api/schema/", {"format": "json"}).json()
    (cursor,) = [
        parameter
        for parameter in schema["paths"]["/api/v1/todos/"]["get"]["parameters"]
        if parameter["name"] == "cursor"
    ]
    return cursor["schema"]["pattern"]


def walk(client, url: str, params: dict | None = None, link: str = "next") -> list[list[int]]:
    """Pages of ids, following ``link`` until it is null."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append([todo["id"] for todo in body["results"]])
        if body[link] is None:
            return pages
        response = client.get(body[link])


def last_page_link(client, params: dict) -> str:
    """The link that reached the last page, walking forwards (a page whose ``previous`` is set)."""
    response = client.get(LIST_URL, params)
    while response.json()["next"] is not None:
        response = client.get(response.json()["next"])
    return response.wsgi_request.get_full_path()


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("filters", [{}, {"done": "true"}, {"done": "false"}])
def test_walks_forwards_and_backwards_match_the_reference_order(tangled, ordering, filters):
    auth_client = tangled.client
    where = {"done": filters["done"] == "true"} if filters else {}
    expected = reference_ids(tangled.owner, ordering, **where)
    params = {"ordering": ordering, "page_size": 4, **filters}

    forwards = walk(auth_client, LIST_URL, params)
    assert list(itertools.chain(*forwards)) == expected
    assert all(len(page) == 4 for page in forwards[:-1])

    backwards = walk(auth_client, last_page_link(auth_client, params), link="previous")
    assert list(itertools.chain(*reversed(backwards))) == expected
    # Walking back lands on the very pages walked forwards, the first one last.
    assert backwards[-1] == forwards[0]


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_next_then_previous_returns_the_same_page(tangled, ordering):
    auth_client = tangled.client
    params = {"ordering": ordering, "page_size": 5}
    first = auth_client.get(LIST_URL, params).json()
    second = auth_client.get(first["next"]).json()
    third = auth_client.get(second["next"]).json()
    again = auth_client.get(third["previous"]).json()
    assert again["results"] == second["results"]
    assert auth_client.get(again["previous"]).json()["results"] == first["results"]


@pytest.mark.django_db
def test_links_keep_the_query(tangled):
    auth_client = tangled.client
    body = auth_client.get(
        LIST_URL, {"ordering": "-due_date", "page_size": 3, "done": "false", "search": "apple"}
    ).json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["ordering"] == ["-due_date"]
    assert query["page_size"] == ["3"]
    assert query["done"] == ["false"]
    assert query["search"] == ["apple"]
    assert urlsplit(body["next"]).path == LIST_URL


@pytest.mark.django_db
def test_a_todo_created_while_walking_never_repeats_a_row(auth_client, user):
    old = TodoFactory.create_batch(6, owner=user)
    first = auth_client.get(LIST_URL, {"page_size": 3}).json()
    TodoFactory.create(owner=user, title="newest")  # lands before the cursor, newest first
    second = auth_client.get(first["next"]).json()
    seen = [todo["id"] for todo in first["results"] + second["results"]]
    assert sorted(seen) == sorted(todo.id for todo in old)


@pytest.mark.django_db
def test_past_the_end_after_deletes_the_links_still_lead_back(auth_client, user):
    a, b, c, d = (TodoFactory.create(owner=user, title=title) for title in "abcd")
    params = {"ordering": "title", "page_size": 2}
    first = auth_client.get(LIST_URL, params).json()
    second = auth_client.get(first["next"]).json()
    Todo.objects.filter(pk__in=[c.pk, d.pk]).delete()

    empty = auth_client.get(first["next"]).json()
    assert empty["results"] == []
    assert empty["next"] is None
    assert [t["id"] for t in auth_client.get(empty["previous"]).json()["results"]] == [a.id, b.id]

    TodoFactory.create(owner=user, title="e")
    Todo.objects.filter(pk__in=[a.pk, b.pk]).delete()
    nothing_before = auth_client.get(second["previous"]).json()
    assert nothing_before["results"] == []
    assert nothing_before["previous"] is None
    # Nothing lies before the cursor, so `next` is the first page, no cursor at all.
    assert "cursor" not in nothing_before["next"]
    assert [t["title"] for t in auth_client.get(nothing_before["next"]).json()["results"]] == ["e"]


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", [None, *ORDERINGS])
def test_every_page_is_one_query_on_todos(tangled, ordering):
    auth_client = tangled.client
    params = {"page_size": 3, **({"ordering": ordering} if ordering else {})}
    link = auth_client.get(LIST_URL, params).json()["next"]
    for url in (LIST_URL, link):
        with CaptureQueriesContext(connection) as context:
            response = auth_client.get(url, params if url == LIST_URL else None)
        assert response.status_code == 200
        on_todos = [q["sql"] for q in context.captured_queries if "todos_todo" in q["sql"]]
        assert len(on_todos) == 1, on_todos
        assert "COUNT(" not in on_todos[0].upper()
        assert "OFFSET" not in on_todos[0].upper()


def encode(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "a",
        "\u00e9t\u00e9",
        encode(b"\xff\xfe"),
        encode(b"not json"),
        encode([]),
        encode({"p": [1, 2]}),  # no ordering
        encode({"o": "title", "p": ["a", 1]}),  # made for another ordering
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00"]}),  # one value short
        encode({"o": "-created_at", "p": "2030-01-01T00:00:00+00:00"}),
        encode({"o": "-created_at", "r": True, "p": ["2030-01-01T00:00:00+00:00", 1]}),
        encode({"o": "-created_at", "r": 2, "p": ["2030-01-01T00:00:00+00:00", 1]}),
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00", 1]}),  # no time zone
        encode({"o": "-created_at", "p": ["0001-01-01T00:00:00+14:00", 1]}),  # before year 1
        encode({"o": "-created_at", "p": ["yesterday", 1]}),
        encode({"o": "-created_at", "p": [5, 1]}),
        encode({"o": "-created_at", "p": [None, 1]}),
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00", None]}),
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00", "x"]}),
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00", True]}),
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00", 2**63]}),
        encode({"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00", [1]]}),
        encode(b'{"o": "-created_at", "p": ["2030-01-01T00:00:00+00:00", ' + b"9" * 5000 + b"]}"),
        encode(b"[" * 5000 + b"]" * 5000),
    ],
)
def test_a_cursor_that_is_not_ours_is_400(auth_client, user, cursor):
    TodoFactory.create(owner=user)
    response = auth_client.get(LIST_URL, {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert response.json() == INVALID_CURSOR


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ordering", "position"),
    [
        ("title", ["a\x00b", 1]),
        ("title", ["x" * 201, 1]),
        ("due_date", ["2030-02-30", 1]),
        ("due_date", [20300101, 1]),
        ("-due_date", [{"y": 2030}, 1]),
    ],
)
def test_a_position_the_field_could_not_hold_is_400(auth_client, user, ordering, position):
    response = auth_client.get(
        LIST_URL, {"ordering": ordering, "cursor": encode({"o": ordering, "p": position})}
    )
    assert response.status_code == 400, response.content
    assert response.json() == INVALID_CURSOR


@pytest.mark.django_db
def test_a_forged_but_well_formed_cursor_only_moves_within_the_callers_list(
    auth_client, user, other_user
):
    TodoFactory.create(owner=other_user, title="theirs")
    mine = TodoFactory.create(owner=user, title="mine")
    cursor = encode({"o": "title", "p": ["a", 0]})
    response = auth_client.get(LIST_URL, {"ordering": "title", "cursor": cursor})
    assert [todo["id"] for todo in response.json()["results"]] == [mine.id]


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_the_schema_states_the_cursors_format_and_every_link_keeps_it(
    tangled, cursor_pattern, ordering
):
    auth_client, pattern = tangled.client, cursor_pattern
    params = {"ordering": ordering, "page_size": 2}
    first = auth_client.get(LIST_URL, params).json()
    second = auth_client.get(first["next"]).json()
    for link in (first["next"], second["next"], second["previous"]):
        (value,) = parse_qs(urlsplit(link).query)["cursor"]
        assert re.fullmatch(pattern, value), value
    # What the pattern refuses, the server refuses.
    outside = auth_client.get(LIST_URL, {"cursor": "é+/="})
    assert re.fullmatch(pattern, "é+/=") is None
    assert outside.status_code == 400
