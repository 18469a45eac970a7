"""Nobody reaches another user's todos, nor learns whether they exist."""

import pytest

from todos.models import Todo
from todos.tests.factories import TodoFactory


@pytest.fixture
def theirs(other_user):
    return TodoFactory.create(owner=other_user, title="Theirs", description="private")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "payload"),
    [
        ("get", None),
        ("put", {"title": "Hijacked", "done": True}),
        ("patch", {"title": "Hijacked"}),
        ("delete", None),
    ],
)
def test_someone_elses_todo_is_indistinguishable_from_a_missing_one(
    auth_client, theirs, method, payload
):
    response = getattr(auth_client, method)(f"/api/v1/todos/{theirs.id}/", payload, format="json")
    missing = getattr(auth_client, method)("/api/v1/todos/987654/", payload, format="json")
    assert response.status_code == 404
    assert response.json() == missing.json()
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert theirs.done is False


@pytest.mark.django_db
def test_someone_elses_etag_precondition_does_not_reveal_existence(auth_client, theirs):
    response = auth_client.patch(
        f"/api/v1/todos/{theirs.id}/", {"title": "x"}, format="json", HTTP_IF_MATCH='"stale"'
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_list_and_search_never_include_others(auth_client, theirs):
    body = auth_client.get("/api/v1/todos/", {"search": "private"}).json()
    assert body["results"] == []
    assert body["next"] is None


@pytest.mark.django_db
def test_idempotency_keys_are_per_user(auth_client, other_client):
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared-key"}
    mine = auth_client.post("/api/v1/todos/", {"title": "a"}, format="json", **headers)
    theirs = other_client.post("/api/v1/todos/", {"title": "b"}, format="json", **headers)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert Todo.objects.count() == 2
