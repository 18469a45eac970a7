"""Listing: newest first, filters, search, ordering and cursor pagination that never skips."""

import datetime
import json

import pytest
from rest_framework.renderers import JSONRenderer

from todos.models import Todo
from todos.serializers import TodoSerializer
from todos.tests.factories import TodoFactory

LIST_URL = "/api/v1/todos/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [todo["title"] for todo in response.json()["results"]]


@pytest.mark.django_db
def test_list_is_paginated_newest_first(auth_client, user):
    for n in range(3):
        TodoFactory.create(owner=user, title=f"t{n}")
    body = auth_client.get(LIST_URL).json()
    # Cursor pagination: no `count` (counting a million rows is what made pages slow).
    assert set(body) == {"next", "previous", "results"}
    assert body["next"] is None
    assert body["previous"] is None
    assert [todo["title"] for todo in body["results"]] == ["t2", "t1", "t0"]


@pytest.mark.django_db
def test_list_shows_only_the_callers_todos(auth_client, user, other_user):
    TodoFactory.create(owner=user, title="mine")
    TodoFactory.create(owner=other_user, title="theirs")
    assert titles(auth_client.get(LIST_URL)) == ["mine"]
    assert titles(auth_client.get(LIST_URL, {"search": "theirs"})) == []


@pytest.mark.django_db
def test_filter_by_done(auth_client, user):
    TodoFactory.create(owner=user, title="open")
    TodoFactory.create(owner=user, title="closed", done=True)
    assert titles(auth_client.get(LIST_URL, {"done": "true"})) == ["closed"]
    assert titles(auth_client.get(LIST_URL, {"done": "false"})) == ["open"]


@pytest.mark.django_db
def test_invalid_filter_value_is_400(auth_client):
    response = auth_client.get(LIST_URL, {"done": "maybe"})
    assert response.status_code == 400
    assert "done" in response.json()
    response = auth_client.get(LIST_URL, {"due_before": "not-a-date"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_filter_by_due_date_range(auth_client, user):
    TodoFactory.create(owner=user, title="early", due_date=datetime.date(2030, 1, 1))
    TodoFactory.create(owner=user, title="late", due_date=datetime.date(2030, 6, 1))
    TodoFactory.create(owner=user, title="someday", due_date=None)
    assert titles(auth_client.get(LIST_URL, {"due_before": "2030-03-01"})) == ["early"]
    assert titles(auth_client.get(LIST_URL, {"due_after": "2030-03-01"})) == ["late"]


@pytest.mark.django_db
def test_search_covers_title_and_description(auth_client, user):
    TodoFactory.create(owner=user, title="Buy milk", description="")
    TodoFactory.create(owner=user, title="Call", description="about the MILK order")
    TodoFactory.create(owner=user, title="Other", description="nothing")
    assert sorted(titles(auth_client.get(LIST_URL, {"search": "milk"}))) == ["Buy milk", "Call"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["a", "b", "c", "d"]),
        ("-title", ["d", "c", "b", "a"]),
        # No due date sorts last in both directions, on SQLite as on PostgreSQL.
        ("due_date", ["c", "a", "b", "d"]),
        ("-due_date", ["b", "a", "c", "d"]),
        ("created_at", ["b", "c", "a", "d"]),
        ("-created_at", ["d", "a", "c", "b"]),
    ],
)
def test_ordering(auth_client, user, ordering, expected):
    TodoFactory.create(owner=user, title="b", due_date=datetime.date(2030, 3, 1))
    TodoFactory.create(owner=user, title="c", due_date=datetime.date(2030, 1, 1))
    TodoFactory.create(owner=user, title="a", due_date=datetime.date(2030, 2, 1))
    TodoFactory.create(owner=user, title="d", due_date=None)
    assert titles(auth_client.get(LIST_URL, {"ordering": ordering})) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["owner__password", "id", "title,-due_date", "-", "Title"])
def test_unknown_ordering_is_400_naming_the_choices(auth_client, user, ordering):
    TodoFactory.create(owner=user)
    response = auth_client.get(LIST_URL, {"ordering": ordering})
    assert response.status_code == 400
    assert response.json() == {
        "ordering": ["Must be one of: created_at, -created_at, due_date, -due_date, title, -title."]
    }


@pytest.mark.django_db
def test_page_size_default_and_cap(auth_client, user):
    TodoFactory.create_batch(105, owner=user)
    assert len(auth_client.get(LIST_URL).json()["results"]) == 20
    assert len(auth_client.get(LIST_URL, {"page_size": 5}).json()["results"]) == 5
    assert len(auth_client.get(LIST_URL, {"page_size": "007"}).json()["results"]) == 7
    assert len(auth_client.get(LIST_URL, {"page_size": 1000}).json()["results"]) == 100
    huge = auth_client.get(LIST_URL, {"page_size": "9" * 5000})
    assert len(huge.json()["results"]) == 100


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", [None, "title", "-due_date", "created_at"])
def test_following_next_visits_every_todo_exactly_once(auth_client, user, ordering):
    # Equal sort keys on purpose: ties must not make pages repeat or skip rows.
    TodoFactory.create_batch(23, owner=user, title="same", due_date=datetime.date(2030, 1, 1))
    params = {"page_size": 5, **({"ordering": ordering} if ordering else {})}
    seen = []
    response = auth_client.get(LIST_URL, params)
    while True:
        body = response.json()
        seen += [todo["id"] for todo in body["results"]]
        if body["next"] is None:
            break
        response = auth_client.get(body["next"])
    assert len(seen) == 23
    assert len(set(seen)) == 23


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", ["abc", "0", "000", "-5", "1.5", "null", "\u0663"])
def test_invalid_page_size_is_400(auth_client, page_size):
    response = auth_client.get(LIST_URL, {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.django_db
def test_empty_query_values_mean_not_set(auth_client, user):
    TodoFactory.create(owner=user, title="only")
    params = {
        "page_size": "",
        "done": "",
        "search": "",
        "ordering": "",
        "due_before": "",
        "cursor": "",
    }
    assert titles(auth_client.get(LIST_URL, params)) == ["only"]


@pytest.mark.django_db
def test_nul_in_search_is_a_field_error(auth_client):
    response = auth_client.get(LIST_URL, {"search": "a\x00b"})
    assert response.status_code == 400
    assert "search" in response.json()


@pytest.mark.django_db
def test_a_listed_todo_is_exactly_its_serializer_representation(auth_client, user):
    # The list is read as plain rows (core/api/rows.py); each must render as
    # the serializer renders the model instance: same keys, order and values.
    TodoFactory(owner=user, title="plain")
    TodoFactory(
        owner=user,
        title="  Ünïcode \u2028 title ",
        description="line\nbreak",
        done=True,
        completed_at=datetime.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
        due_date=datetime.date(2030, 1, 31),
    )
    TodoFactory(owner=user, title="no date", due_date=None, description="")

    response = auth_client.get(LIST_URL)

    expected = TodoSerializer(Todo.objects.filter(owner=user), many=True).data
    assert response.status_code == 200, response.content
    assert response.json()["results"] == json.loads(JSONRenderer().render(expected))
    assert [list(todo) for todo in response.json()["results"]] == [list(todo) for todo in expected]
    completed = [todo["completed_at"] for todo in expected]
    assert completed == [None, "2030-01-02T03:04:05.678901Z", None]
