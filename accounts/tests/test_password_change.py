"""POST /api/v1/auth/password/change/: a new password ends every earlier session."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tests.utils import (
    ME,
    NEW_PASSWORD,
    PASSWORD_CHANGE,
    REFRESH,
    TOKEN,
    bearer_client,
    login,
    me_status,
    refresh_status,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [PASSWORD_CHANGE, PASSWORD_CHANGE.rstrip("/")])
def test_change_password_then_only_the_new_one_logs_in(api_client, auth_client, user, path):
    response = auth_client.post(
        path, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    old = api_client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})
    assert old.status_code == 401
    assert (
        api_client.post(TOKEN, {"email": user.email, "password": NEW_PASSWORD}).status_code == 200
    )


def test_change_password_revokes_every_earlier_token(api_client, user):
    phone = login(api_client, user.email)
    laptop = login(api_client, user.email)
    rotated = api_client.post(REFRESH, {"refresh": laptop["refresh"]}).json()
    client = bearer_client(phone["access"])

    response = client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 204
    # The access token that made the change, and every other one issued before it.
    assert client.get(ME).status_code == 401
    assert client.get(ME)["WWW-Authenticate"].startswith("Bearer")
    assert me_status(rotated["access"]) == 401
    # Every refresh token issued before, rotated ones included.
    assert refresh_status(phone["refresh"]) == 401
    assert refresh_status(rotated["refresh"]) == 401
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    # A new login opens a working session.
    fresh = login(api_client, user.email, NEW_PASSWORD)
    assert me_status(fresh["access"]) == 200
    assert refresh_status(fresh["refresh"]) == 200


def test_change_password_leaves_other_users_sessions_alone(api_client, auth_client, other_user):
    theirs = login(api_client, other_user.email)

    auth_client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert me_status(theirs["access"]) == 200
    assert refresh_status(theirs["refresh"]) == 200


def test_change_password_refuses_a_wrong_old_password(auth_client, user):
    response = auth_client.post(
        PASSWORD_CHANGE, {"old_password": "not-my-password-at-all", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["old_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert auth_client.get(ME).status_code == 200


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab3!xyz", "too short"),
        ("password1", "too common"),
        ("8473629105", "entirely numeric"),
    ],
)
def test_change_password_refuses_a_weak_new_password(auth_client, user, new_password, message):
    response = auth_client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": new_password}
    )

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["new_password"]
    assert any(message in error for error in errors["new_password"])
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_change_password_refuses_a_password_like_the_email(auth_client, user):
    user.email = "jonathan.smithers@example.com"
    user.save(update_fields=["email"])

    response = auth_client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": "jonathansmithers"}
    )

    assert response.status_code == 400
    assert "new_password" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"old_password": DEFAULT_PASSWORD},
        {"new_password": NEW_PASSWORD},
        {"old_password": 123, "new_password": NEW_PASSWORD},
        {"old_password": DEFAULT_PASSWORD, "new_password": 123456789012},
    ],
)
def test_change_password_refuses_missing_or_non_string_fields(auth_client, user, body):
    response = auth_client.post(PASSWORD_CHANGE, body)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_change_password_needs_authentication(api_client, user):
    response = api_client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_change_password_response_never_echoes_passwords(auth_client):
    response = auth_client.post(
        PASSWORD_CHANGE, {"old_password": "wrong-old-password-x", "new_password": "Ab3!xyz"}
    )

    assert response.status_code == 400
    assert "wrong-old-password-x" not in response.content.decode()
    assert "Ab3!xyz" not in response.content.decode()
