"""ETag / If-Match (no lost updates) and Idempotency-Key (no duplicate creates)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from core.models import IdempotencyKey
from core.tasks import cleanup
from todos.models import Todo
from todos.tests.factories import TodoFactory

LIST_URL = "/api/v1/todos/"


@pytest.fixture
def todo(user):
    return TodoFactory.create(owner=user, title="Original")


def url(todo) -> str:
    return f"/api/v1/todos/{todo.id}/"


@pytest.mark.django_db
def test_get_returns_a_strong_etag_that_changes_with_the_todo(auth_client, todo):
    first = auth_client.get(url(todo))
    etag = first["ETag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert auth_client.get(url(todo))["ETag"] == etag

    patched = auth_client.patch(url(todo), {"title": "Changed"}, format="json")
    assert patched["ETag"] != etag
    assert auth_client.get(url(todo))["ETag"] == patched["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch"])
def test_matching_if_match_writes(auth_client, todo, method):
    etag = auth_client.get(url(todo))["ETag"]
    response = getattr(auth_client, method)(
        url(todo), {"title": "New"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    todo.refresh_from_db()
    assert todo.title == "New"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stale_if_match_is_412_and_changes_nothing(auth_client, todo, method):
    stale = auth_client.get(url(todo))["ETag"]
    auth_client.patch(url(todo), {"description": "someone else's edit"}, format="json")
    response = getattr(auth_client, method)(
        url(todo), {"title": "Lost update"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert "detail" in response.json()
    todo.refresh_from_db()
    assert todo.title == "Original"
    assert todo.description == "someone else's edit"


@pytest.mark.django_db
def test_if_match_accepts_a_list_and_star_but_not_weak_tags(auth_client, todo):
    etag = auth_client.get(url(todo))["ETag"]
    weak = auth_client.patch(url(todo), {"title": "w"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert weak.status_code == 412
    listed = auth_client.patch(
        url(todo), {"title": "l"}, format="json", HTTP_IF_MATCH=f'"other", {etag}'
    )
    assert listed.status_code == 200
    star = auth_client.patch(url(todo), {"title": "s"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200


@pytest.mark.django_db
def test_delete_with_current_etag(auth_client, todo):
    etag = auth_client.get(url(todo))["ETag"]
    assert auth_client.delete(url(todo), HTTP_IF_MATCH=etag).status_code == 204
    assert not Todo.objects.filter(pk=todo.pk).exists()


@pytest.mark.django_db
def test_if_none_match_gives_304(auth_client, todo):
    etag = auth_client.get(url(todo))["ETag"]
    response = auth_client.get(url(todo), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert auth_client.get(url(todo), HTTP_IF_NONE_MATCH='"old"').status_code == 200


@pytest.mark.django_db
def test_retry_with_same_key_returns_the_original(auth_client, user):
    payload = {"title": "Pay rent", "due_date": "2030-05-01"}
    first = auth_client.post(LIST_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = auth_client.post(LIST_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content  # byte for byte, members in the same order
    assert retry["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Todo.objects.filter(owner=user).count() == 1


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_422(auth_client, user):
    auth_client.post(LIST_URL, {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = auth_client.post(LIST_URL, {"title": "B"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert "detail" in response.json()
    assert list(Todo.objects.values_list("title", flat=True)) == ["A"]


@pytest.mark.django_db
def test_without_a_key_every_post_creates(auth_client, user):
    auth_client.post(LIST_URL, {"title": "A"}, format="json")
    auth_client.post(LIST_URL, {"title": "A"}, format="json")
    assert Todo.objects.filter(owner=user).count() == 2


@pytest.mark.django_db
def test_invalid_body_does_not_use_up_the_key(auth_client, user):
    bad = auth_client.post(LIST_URL, {"title": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    good = auth_client.post(LIST_URL, {"title": "ok"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\there"])
def test_malformed_idempotency_key_is_400(auth_client, key):
    response = auth_client.post(LIST_URL, {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Todo.objects.exists()


@pytest.mark.django_db
def test_expired_key_creates_anew(auth_client, user):
    auth_client.post(LIST_URL, {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = auth_client.post(LIST_URL, {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert again.status_code == 201
    assert not again.has_header("Idempotent-Replayed")
    assert Todo.objects.filter(owner=user).count() == 2


@pytest.mark.django_db
def test_purge_command_removes_only_expired_keys(auth_client):
    auth_client.post(LIST_URL, {"title": "old"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    auth_client.post(LIST_URL, {"title": "new"}, format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    call_command("purge_idempotency_keys", verbosity=0)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "run_cleanup",
    [
        pytest.param(lambda: call_command("cleanup", verbosity=0), id="command (cron)"),
        pytest.param(lambda: cleanup.apply().get(), id="task (beat)"),
    ],
)
def test_daily_cleanup_purges_expired_keys_and_tokens(auth_client, user, run_cleanup):
    auth_client.post(LIST_URL, {"title": "old"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    RefreshToken.for_user(user)
    OutstandingToken.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    run_cleanup()
    assert not IdempotencyKey.objects.exists()
    assert not OutstandingToken.objects.exists()
