"""GET and PATCH /api/v1/auth/me/: the caller's own account, where only ``name`` changes."""

import pytest

from accounts.models import User
from accounts.tests.utils import ME

pytestmark = pytest.mark.django_db

FIELDS = {"id", "email", "name", "email_verified", "date_joined", "time_zone", "reminder_time"}


@pytest.mark.parametrize("path", [ME, ME.rstrip("/")])
def test_me_returns_the_caller(auth_client, user, path):
    response = auth_client.get(path)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["name"] == user.name
    assert body["date_joined"].startswith(user.date_joined.date().isoformat())


def test_me_is_each_callers_own(auth_client, other_client, user, other_user):
    assert auth_client.get(ME).json()["id"] == user.pk
    assert other_client.get(ME).json()["id"] == other_user.pk


@pytest.mark.parametrize("path", [ME, ME.rstrip("/")])
def test_patch_me_changes_the_name(auth_client, user, path):
    response = auth_client.patch(path, {"name": "Grace Hopper"})

    assert response.status_code == 200
    assert set(response.json()) == FIELDS
    assert response.json()["name"] == "Grace Hopper"
    user.refresh_from_db()
    assert user.name == "Grace Hopper"


def test_patch_me_may_blank_the_name(auth_client, user):
    response = auth_client.patch(ME, {"name": ""})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.name == ""


def test_patch_me_without_name_changes_nothing(auth_client, user):
    before = user.name

    response = auth_client.patch(ME, {})

    assert response.status_code == 200
    assert response.json()["name"] == before
    user.refresh_from_db()
    assert user.name == before


def test_patch_me_ignores_every_field_but_name(auth_client, user, other_user):
    """Mass assignment: privilege and identity fields in the body are dropped."""
    original = User.objects.values().get(pk=user.pk)

    response = auth_client.patch(
        ME,
        {
            "name": "New Name",
            "email": "attacker@example.com",
            "id": other_user.pk,
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
            "date_joined": "2000-01-01T00:00:00Z",
            "password": "a-long-passphrase-1815",
        },
    )

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["id"] == user.pk
    stored = User.objects.values().get(pk=user.pk)
    assert stored == {**original, "name": "New Name"}
    assert stored["is_staff"] is False
    assert stored["is_superuser"] is False
    assert not User.objects.filter(email="attacker@example.com").exists()


@pytest.mark.parametrize("name", [42, ["Ada"], {"first": "Ada"}, None, True, "x" * 151])
def test_patch_me_refuses_a_bad_name(auth_client, user, name):
    before = user.name

    response = auth_client.patch(ME, {"name": name})

    assert response.status_code == 400
    assert "name" in response.json()
    user.refresh_from_db()
    assert user.name == before


# DELETE deletes the account (issue 20; test_delete_account.py).
@pytest.mark.parametrize("method", ["put", "post"])
def test_me_refuses_other_methods(auth_client, user, method):
    response = getattr(auth_client, method)(ME, {"name": "X"})

    assert response.status_code == 405
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize("method", ["get", "patch", "put"])
def test_me_needs_a_token(api_client, method):
    response = getattr(api_client, method)(ME, {"name": "X"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
