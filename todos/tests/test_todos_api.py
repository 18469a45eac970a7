"""The todo contract through HTTP: CRUD, representation, completion, validation."""

import pytest

from todos.models import Todo
from todos.tests.factories import TodoFactory

LIST_URL = "/api/v1/todos/"
REPRESENTATION_KEYS = {
    "id",
    "list",
    "title",
    "description",
    "done",
    "due_date",
    "completed_at",
    "created_at",
    "updated_at",
}


def detail_url(todo_id) -> str:
    return f"/api/v1/todos/{todo_id}/"


@pytest.mark.django_db
def test_create_get_update_delete_then_404(auth_client, user):
    created = auth_client.post(
        LIST_URL, {"title": "Write report", "due_date": "2030-01-31"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert set(body) == REPRESENTATION_KEYS
    assert body["title"] == "Write report"
    assert body["description"] == ""
    assert body["done"] is False
    assert body["due_date"] == "2030-01-31"
    assert body["completed_at"] is None
    url = detail_url(body["id"])

    fetched = auth_client.get(url)
    assert fetched.status_code == 200
    assert fetched.json() == body

    replaced = auth_client.put(
        url, {"title": "Write the report", "description": "Q3", "done": True}, format="json"
    )
    assert replaced.status_code == 200
    assert replaced.json()["title"] == "Write the report"
    assert replaced.json()["completed_at"] is not None

    patched = auth_client.patch(url, {"description": "Q4"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["description"] == "Q4"
    assert patched.json()["title"] == "Write the report"

    assert auth_client.delete(url).status_code == 204
    assert auth_client.get(url).status_code == 404
    assert not Todo.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_done_sets_and_clears_completed_at(auth_client, user):
    todo = TodoFactory.create(owner=user)
    done = auth_client.patch(detail_url(todo.id), {"done": True}, format="json").json()
    assert done["done"] is True
    assert done["completed_at"] is not None

    unchanged = auth_client.patch(detail_url(todo.id), {"done": True}, format="json").json()
    assert unchanged["completed_at"] == done["completed_at"]

    undone = auth_client.patch(detail_url(todo.id), {"done": False}, format="json").json()
    assert undone["completed_at"] is None


@pytest.mark.django_db
def test_create_done_sets_completed_at(auth_client):
    body = auth_client.post(LIST_URL, {"title": "Already", "done": True}, format="json").json()
    assert body["done"] is True
    assert body["completed_at"] is not None


@pytest.mark.django_db
def test_read_only_fields_and_owner_are_ignored_on_input(auth_client, user, other_user):
    body = auth_client.post(
        LIST_URL,
        {
            "title": "Mine",
            "id": 999_999,
            "owner": other_user.id,
            "completed_at": "2001-01-01T00:00:00Z",
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    ).json()
    todo = Todo.objects.get(pk=body["id"])
    assert todo.owner == user
    assert body["id"] != 999_999
    assert body["completed_at"] is None
    assert not body["created_at"].startswith("2001")

    auth_client.patch(detail_url(todo.id), {"owner": other_user.id, "id": 5}, format="json")
    todo.refresh_from_db()
    assert todo.owner == user


@pytest.mark.django_db
def test_title_is_stored_trimmed(auth_client):
    body = auth_client.post(LIST_URL, {"title": "  Padded  "}, format="json").json()
    assert body["title"] == "Padded"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   \t\n"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": " " + "x" * 200}, "title"),
        ({"title": None}, "title"),
        ({"title": 123}, "title"),
        ({"title": ["list"]}, "title"),
        ({"title": {"a": 1}}, "title"),
        ({"title": True}, "title"),
        ({"title": "ok", "done": "true"}, "done"),
        ({"title": "ok", "done": 1}, "done"),
        ({"title": "ok", "done": None}, "done"),
        ({"title": "ok", "description": 5}, "description"),
        ({"title": "ok", "due_date": "2030-02-30"}, "due_date"),
        ({"title": "ok", "due_date": "tomorrow"}, "due_date"),
        ({"title": "ok", "due_date": 20300101}, "due_date"),
        ({"title": "ok\x00"}, "title"),
    ],
)
def test_create_rejects_invalid_input(auth_client, payload, field):
    response = auth_client.post(LIST_URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Todo.objects.exists()


@pytest.mark.django_db
def test_lone_surrogate_in_title_is_400(auth_client):
    body = '{"title": "bad \\ud800 surrogate"}'
    response = auth_client.post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "title" in response.json()


@pytest.mark.django_db
def test_title_of_exactly_200_characters_is_accepted(auth_client):
    response = auth_client.post(LIST_URL, {"title": "x" * 200}, format="json")
    assert response.status_code == 201


@pytest.mark.django_db
def test_due_date_can_be_cleared(auth_client, user):
    todo = TodoFactory.create(owner=user, due_date="2030-01-01")
    body = auth_client.patch(detail_url(todo.id), {"due_date": None}, format="json").json()
    assert body["due_date"] is None


@pytest.mark.django_db
def test_put_requires_a_title(auth_client, user):
    todo = TodoFactory.create(owner=user)
    response = auth_client.put(detail_url(todo.id), {"done": True}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()


@pytest.mark.django_db
def test_patch_validates_like_create(auth_client, user):
    todo = TodoFactory.create(owner=user, title="Keep")
    response = auth_client.patch(detail_url(todo.id), {"title": "  "}, format="json")
    assert response.status_code == 400
    todo.refresh_from_db()
    assert todo.title == "Keep"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/todos/abc/", "/api/v1/todos/1.5/", "/api/v1/todos/-1/"])
def test_non_integer_id_is_404_json(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_huge_id_is_404_not_a_database_error(auth_client):
    response = auth_client.get(detail_url(10**30))
    assert response.status_code == 404
    response = auth_client.delete(detail_url(2**63))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_missing_todo_is_404(auth_client, method):
    response = getattr(auth_client, method)(detail_url(987_654), {"title": "x"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Todo matches the given query.", "code": "not_found"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", LIST_URL), ("post", LIST_URL), ("get", "/api/v1/todos/1/")],
)
def test_todos_require_authentication(api_client, method, path):
    response = getattr(api_client, method)(path, {"title": "x"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_options_describes_a_todo_without_locking_or_preconditions(auth_client, user):
    todo = TodoFactory.create(owner=user)
    response = auth_client.options(detail_url(todo.id), HTTP_IF_MATCH='"stale"')
    assert response.status_code == 200
    assert response.json()["name"]
