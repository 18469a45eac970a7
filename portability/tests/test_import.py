"""POST /api/v1/auth/import/: a JSON export added to the caller's account, all or nothing."""

import json
from datetime import date

import pytest

from todos.models import Todo
from todos.tests.factories import TodoFactory

EXPORT = "/api/v1/auth/export/"
IMPORT = "/api/v1/auth/import/"

COMPARED = ("title", "description", "done", "due_date")


def todo_set(owner) -> list[tuple]:
    return sorted(Todo.objects.filter(owner=owner).values_list(*COMPARED))


def post_json(client, document, **extra):
    return client.post(IMPORT, json.dumps(document), content_type="application/json", **extra)


@pytest.mark.django_db
def test_an_export_imported_into_another_account_gives_the_same_set(
    auth_client, user, other_client, other_user
):
    TodoFactory.create(owner=user, title="Open, due", due_date=date(2030, 1, 31))
    TodoFactory.create(owner=user, title="Spaces kept", description="  in the description  \n")
    TodoFactory.create(owner=user, title="Done", done=True)
    TodoFactory.create(owner=user, title="Same title", description="")
    TodoFactory.create(owner=user, title="Same title", description="")
    TodoFactory.create(owner=other_user, title="Already there")
    exported = b"".join(auth_client.get(EXPORT).streaming_content)

    response = other_client.post(IMPORT, exported, content_type="application/json")

    assert response.status_code == 201, response.json()
    assert response.json() == {"todos": 5}
    imported = [row for row in todo_set(other_user) if row[0] != "Already there"]
    assert imported == todo_set(user)
    done = Todo.objects.get(owner=other_user, title="Done")
    assert done.completed_at is not None
    assert Todo.objects.filter(owner=user).count() == 5


@pytest.mark.django_db
def test_bad_todos_are_a_400_naming_where_and_nothing_is_imported(auth_client, user):
    document = {
        "version": 1,
        "todos": [
            {"title": "Fine"},
            {"title": "Fine too", "due_date": "2030-01-31"},
            {"title": "Done?", "done": "yes"},
            {"title": "x" * 201, "due_date": "31/01/2030"},
        ],
    }

    response = post_json(auth_client, document)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"todos[2].done", "todos[3].title", "todos[3].due_date"}
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert not Todo.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_a_todo_breaking_a_rule_of_the_todo_services_is_a_400_there_too(auth_client, user):
    """A blank title is the services' rule (the API's create says the same)."""
    document = {"version": 1, "todos": [{"title": "Fine"}, {"title": " \t "}]}

    response = post_json(auth_client, document)
    by_the_api = auth_client.post("/api/v1/todos/", {"title": " \t "}, format="json")

    assert response.status_code == 400
    assert response.json() == {"todos[1].title": by_the_api.json()["title"]}
    assert not Todo.objects.filter(owner=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"todos": []}, "version"),
        ({"version": 2, "todos": []}, "version"),
        ({"version": "1", "todos": []}, "version"),
        ({"version": True, "todos": []}, "version"),
        ({"version": 1}, "todos"),
        ({"version": 1, "todos": {"title": "x"}}, "todos"),
        ({"version": 1, "todos": ["x"]}, "todos[0]"),
        ([], "non_field_errors"),
    ],
)
def test_a_malformed_document_is_a_400_saying_what(auth_client, user, document, where):
    response = post_json(auth_client, document)

    assert response.status_code == 400
    assert where in response.json()
    assert not Todo.objects.filter(owner=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["{", '{"version": NaN}', "[" * 5000 + "]" * 5000, b"\xff".decode("latin-1")]
)
def test_a_body_that_is_not_json_is_a_400(auth_client, text):
    response = auth_client.post(IMPORT, text, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.django_db
def test_a_body_of_another_type_is_a_415(auth_client):
    assert auth_client.post(IMPORT, "x", content_type="text/csv").status_code == 415


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_a_413_unread(auth_client, user, settings):
    settings.IMPORT_MAX_BYTES = 100
    document = {"version": 1, "todos": [{"title": "x" * 50}, {"title": "y" * 50}]}

    response = post_json(auth_client, document)

    assert response.status_code == 413
    assert "IMPORT_MAX_BYTES" in response.json()["detail"]
    assert not Todo.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_the_size_limit_is_the_setting_not_the_api_wide_one(auth_client, user):
    """Over the API's 1 MiB, under the import's 5 MiB: read and imported."""
    document = {"version": 1, "todos": [{"title": "t", "description": "d" * 1024 * 1024}]}

    response = post_json(auth_client, document)

    assert response.status_code == 201, response.content[:200]
    assert Todo.objects.filter(owner=user).count() == 1


@pytest.mark.django_db
def test_more_todos_than_allowed_is_a_400(auth_client, user, settings):
    settings.IMPORT_MAX_TODOS = 2
    document = {"version": 1, "todos": [{"title": "a"}, {"title": "b"}, {"title": "c"}]}

    response = post_json(auth_client, document)

    assert response.status_code == 400
    assert response.json() == {"todos": ["At most 2 todos can be imported at once."]}


@pytest.mark.django_db
def test_the_import_needs_a_signed_in_caller(api_client):
    response = post_json(api_client, {"version": 1, "todos": [{"title": "x"}]})
    assert response.status_code == 401
    assert not Todo.objects.exists()
