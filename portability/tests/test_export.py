"""GET /api/v1/auth/export/: everything the caller owns, streamed as JSON or CSV."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory

EXPORT = "/api/v1/auth/export/"


def body(response) -> bytes:
    assert response.streaming, "the export is streamed"
    return b"".join(response.streaming_content)


@pytest.fixture
def todos(user):
    first = TodoFactory.create(owner=user, title="Buy milk", due_date=date(2030, 1, 31))
    second = TodoFactory.create(owner=user, title="=HYPERLINK(1)", description='a, "b"\nc')
    Todo.objects.filter(pk=second.pk).update(done=True)
    return [first, second]


@pytest.mark.django_db
def test_json_export_holds_the_profile_and_every_todo_newest_first(auth_client, user, todos):
    TodoFactory.create(title="Somebody else's")

    response = auth_client.get(EXPORT, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="todo-export-')
    assert response["Cache-Control"] == "no-store"
    document = json.loads(body(response))
    assert document["version"] == 1
    # The profile as auth/me/ shows it.
    assert document["profile"] == auth_client.get("/api/v1/auth/me/").json()
    assert document["profile"]["email"] == user.email
    assert [todo["title"] for todo in document["todos"]] == ["=HYPERLINK(1)", "Buy milk"]
    milk = document["todos"][1]
    todo = todos[0]
    assert milk == {
        "list": "Inbox",
        "title": "Buy milk",
        "description": todo.description,
        "done": False,
        "due_date": "2030-01-31",
        "completed_at": None,
        "created_at": todo.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": todo.updated_at.isoformat().replace("+00:00", "Z"),
    }


@pytest.mark.django_db
def test_json_is_the_default_and_an_empty_format_is_no_format(auth_client, todos):
    for query in ({}, {"format": ""}):
        response = auth_client.get(EXPORT, query)
        assert response.status_code == 200
        assert len(json.loads(body(response))["todos"]) == 2


@pytest.mark.django_db
def test_csv_export_is_one_row_per_todo_and_safe_in_a_spreadsheet(auth_client, todos):
    response = auth_client.get(EXPORT, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(body(response).decode())))
    assert [row["title"] for row in rows] == ["'=HYPERLINK(1)", "Buy milk"]
    formula, milk = rows
    assert formula["description"] == 'a, "b"\nc'
    assert formula["done"] == "true"
    assert milk["done"] == "false"
    assert milk["due_date"] == "2030-01-31"
    assert milk["completed_at"] == ""
    assert milk["created_at"] == todos[0].created_at.isoformat().replace("+00:00", "Z")


@pytest.mark.django_db
def test_an_empty_account_exports_an_empty_list_and_a_header(auth_client):
    assert json.loads(body(auth_client.get(EXPORT)))["todos"] == []
    csv_text = body(auth_client.get(EXPORT, {"format": "csv"})).decode()
    assert csv_text.splitlines() == [
        "list,title,description,done,due_date,completed_at,created_at,updated_at"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["xml", "JSON", "csv,json", "api"])
def test_an_unknown_format_is_a_400_in_json(auth_client, value):
    response = auth_client.get(EXPORT, {"format": value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "format" in response.json()


@pytest.mark.django_db
def test_the_export_needs_a_signed_in_caller(api_client):
    response = api_client.get(EXPORT, {"format": "csv"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_export_is_written_a_chunk_at_a_time(auth_client, user, settings):
    settings.EXPORT_CHUNK_SIZE = 10
    Todo.objects.bulk_create(TodoFactory.build_batch(35, owner=user))

    for name in ("json", "csv"):
        chunks = list(auth_client.get(EXPORT, {"format": name}).streaming_content)
        # The head, four chunks of rows (10, 10, 10, 5), the tail.
        assert len(chunks) >= 4, name
        assert max(chunk.count(b"Todo ") for chunk in chunks) == 10, name


@pytest.mark.django_db
def test_the_export_costs_the_same_queries_for_5_todos_or_2000(settings):
    settings.EXPORT_CHUNK_SIZE = 100
    counts: dict[str, list[int]] = {}
    for owned in (5, 2000):
        user = UserFactory.create()
        inbox = user.owned_lists.get(is_inbox=True)  # once, not once per todo
        Todo.objects.bulk_create(TodoFactory.build_batch(owned, owner=user, list=inbox))
        client = make_client(user)
        for name in ("json", "csv"):
            with CaptureQueriesContext(connection) as context:
                content = body(client.get(EXPORT, {"format": name}))
            assert content.count(b"Todo ") == owned
            counts.setdefault(name, []).append(len(context.captured_queries))
    assert all(small == large for small, large in counts.values()), counts


@pytest.mark.django_db
def test_each_exported_todo_is_the_apis_todo_less_its_id_and_list(auth_client, user):
    whole_second = datetime(2030, 1, 31, 12, 0, 0, tzinfo=UTC)
    tenth = datetime(2030, 1, 31, 12, 0, 0, 100000, tzinfo=UTC)
    done = TodoFactory.create(owner=user, title="Done", due_date=date(2030, 2, 1))
    Todo.objects.filter(pk=done.pk).update(
        done=True, completed_at=tenth, created_at=whole_second, updated_at=tenth
    )
    TodoFactory.create(owner=user, title="Open")

    exported = json.loads(body(auth_client.get(EXPORT)))["todos"]

    api_todos = auth_client.get("/api/v1/todos/").json()["results"]
    # Ids are this database's: an export carries no todo's id, and its list's name.
    assert exported == [
        {**{k: v for k, v in todo.items() if k != "id"}, "list": "Inbox"} for todo in api_todos
    ]
    assert exported[0]["created_at"] == "2030-01-31T12:00:00Z"
    assert exported[0]["completed_at"] == "2030-01-31T12:00:00.100000Z"
