"""Obtaining, rotating and verifying JWTs: token/, token/refresh/, token/verify/."""

import jwt
import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.utils import (
    LOGOUT,
    OTHER_KEY,
    REFRESH,
    TOKEN,
    VERIFY,
    expired_access_token,
    expired_refresh_token,
    login,
    me_status,
    refresh_status,
    unsigned_token,
)

pytestmark = pytest.mark.django_db

NO_ACCOUNT = {
    "detail": "No active account found with the given credentials",
    "code": "no_active_account",
}


# --- token/ -----------------------------------------------------------------


@pytest.mark.parametrize("path", [TOKEN, TOKEN.rstrip("/")])
def test_token_returns_a_working_pair(api_client, user, path):
    response = api_client.post(path, {"email": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200, response.content
    pair = response.json()
    assert set(pair) == {"access", "refresh"}
    assert me_status(pair["access"]) == 200
    assert refresh_status(pair["refresh"]) == 200


def test_token_records_the_refresh_token_as_outstanding(api_client, user):
    pair = login(api_client, user.email)

    # simplejwt annotates the encoded token as a Token; it takes the string.
    jti = RefreshToken(pair["refresh"])["jti"]  # type: ignore[arg-type]
    assert OutstandingToken.objects.filter(jti=jti, user=user).exists()


def test_token_updates_last_login(api_client, user):
    assert user.last_login is None

    login(api_client, user.email)

    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.parametrize("typed", ["ADA@EXAMPLE.COM", "Ada@Example.com", "  ada@example.com "])
def test_token_email_is_case_insensitive(api_client, typed):
    UserFactory.create(email="ada@example.com")

    response = api_client.post(TOKEN, {"email": typed, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200, response.content


def test_token_wrong_password_unknown_email_and_inactive_user_look_the_same(api_client):
    active = UserFactory.create()
    inactive = UserFactory.create(is_active=False)

    wrong_password = api_client.post(TOKEN, {"email": active.email, "password": "nope-nope-nope"})
    unknown = api_client.post(TOKEN, {"email": "nobody@example.com", "password": DEFAULT_PASSWORD})
    blocked = api_client.post(TOKEN, {"email": inactive.email, "password": DEFAULT_PASSWORD})

    for response in (wrong_password, unknown, blocked):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response.json() == NO_ACCOUNT


def test_token_password_is_case_sensitive(api_client, user):
    response = api_client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD.upper()})

    assert response.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"email": 123, "password": DEFAULT_PASSWORD},
        {"email": ["a@example.com"], "password": DEFAULT_PASSWORD},
        {"email": "a@example.com", "password": 12345678},
        {"email": "a@example.com", "password": None},
        {"email": "a@example.com", "password": {"x": 1}},
        {"email": "a@example.com"},
        {"password": DEFAULT_PASSWORD},
        {},
    ],
)
def test_token_refuses_non_string_or_missing_credentials(api_client, body):
    response = api_client.post(TOKEN, body)

    assert response.status_code == 400
    assert set(response.json()) <= {"email", "password"}
    assert response.json()


# --- token/refresh/ ---------------------------------------------------------


@pytest.mark.parametrize("path", [REFRESH, REFRESH.rstrip("/")])
def test_refresh_rotates_and_blacklists_the_used_token(api_client, user, path):
    pair = login(api_client, user.email)

    response = api_client.post(path, {"refresh": pair["refresh"]})

    assert response.status_code == 200, response.content
    rotated = response.json()
    assert set(rotated) == {"access", "refresh"}
    assert rotated["refresh"] != pair["refresh"]
    assert me_status(rotated["access"]) == 200
    # simplejwt annotates the encoded token as a Token; it takes the string.
    old_jti = RefreshToken(pair["refresh"], verify=False)["jti"]  # type: ignore[arg-type]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()
    # The used one is spent; the new one works, and is itself spent after use.
    assert refresh_status(pair["refresh"]) == 401
    assert refresh_status(rotated["refresh"]) == 200
    assert refresh_status(rotated["refresh"]) == 401


def test_refresh_records_the_new_token_as_outstanding(api_client, user):
    pair = login(api_client, user.email)

    rotated = api_client.post(REFRESH, {"refresh": pair["refresh"]}).json()

    jti = RefreshToken(rotated["refresh"])["jti"]
    assert OutstandingToken.objects.filter(jti=jti, user=user).exists()


@pytest.mark.parametrize("garbage", ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
def test_refresh_refuses_garbage(api_client, garbage):
    response = api_client.post(REFRESH, {"refresh": garbage})

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_refresh_refuses_a_missing_or_non_string_token(api_client):
    assert api_client.post(REFRESH, {}).status_code == 400
    assert api_client.post(REFRESH, {"refresh": 12345}).status_code == 400
    assert api_client.post(REFRESH, {"refresh": ["x"]}).status_code == 400
    assert api_client.post(REFRESH, {"refresh": ""}).status_code == 400


def test_refresh_refuses_an_expired_token(api_client, user):
    response = api_client.post(REFRESH, {"refresh": expired_refresh_token(user)})

    assert response.status_code == 401


def test_refresh_refuses_an_access_token(api_client, user):
    pair = login(api_client, user.email)

    response = api_client.post(REFRESH, {"refresh": pair["access"]})

    assert response.status_code == 401


def test_refresh_for_a_deleted_user_is_401_not_500(api_client, user):
    refresh = str(RefreshToken.for_user(user))
    User.objects.filter(pk=user.pk).delete()

    response = api_client.post(REFRESH, {"refresh": refresh})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_refresh_for_an_inactive_user_is_401(api_client, user):
    refresh = str(RefreshToken.for_user(user))
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = api_client.post(REFRESH, {"refresh": refresh})

    assert response.status_code == 401


def test_refresh_refuses_a_token_from_before_a_password_change_made_elsewhere(api_client, user):
    """
    A password set outside the API (``manage.py changepassword``, the admin)
    blacklists nothing; the token's password claim must still retire it.
    """
    pair = login(api_client, user.email)
    user.set_password("a-brand-new-passphrase-42")
    user.save(update_fields=["password"])

    response = api_client.post(REFRESH, {"refresh": pair["refresh"]})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    # simplejwt annotates the encoded token as a Token; it takes the string.
    jti = RefreshToken(pair["refresh"], verify=False)["jti"]  # type: ignore[arg-type]
    assert not BlacklistedToken.objects.filter(token__jti=jti).exists()


def test_a_forged_refresh_token_for_a_missing_user_says_only_invalid(api_client):
    """Whether a user id exists is not told to someone without the signing key."""
    payload = {"token_type": "refresh", "exp": 4102444800, "jti": "x", "user_id": "999999"}
    forged = jwt.encode(payload, OTHER_KEY, algorithm="HS256")

    response = api_client.post(REFRESH, {"refresh": forged})

    assert response.status_code == 401
    assert response.json()["detail"] == "Token is invalid"


# --- token/verify/ ----------------------------------------------------------


@pytest.mark.parametrize("path", [VERIFY, VERIFY.rstrip("/")])
def test_verify_accepts_valid_access_and_refresh_tokens(api_client, user, path):
    refresh = RefreshToken.for_user(user)

    assert api_client.post(path, {"token": str(refresh.access_token)}).status_code == 200
    assert api_client.post(path, {"token": str(refresh)}).status_code == 200


@pytest.mark.parametrize("garbage", ["garbage", "a.b.c"])
def test_verify_refuses_garbage(api_client, garbage):
    response = api_client.post(VERIFY, {"token": garbage})

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_verify_refuses_expired_tokens(api_client, user):
    assert api_client.post(VERIFY, {"token": expired_access_token(user)}).status_code == 401
    assert api_client.post(VERIFY, {"token": expired_refresh_token(user)}).status_code == 401


def test_verify_refuses_a_missing_token(api_client):
    assert api_client.post(VERIFY, {}).status_code == 400


# --- forged tokens at the token endpoints -----------------------------------


def forged_refresh_tokens(user: User) -> dict[str, str]:
    """A real refresh token's claims, re-signed with another key and with no key at all."""
    payload = dict(RefreshToken.for_user(user).payload)
    return {
        "other key": jwt.encode(payload, OTHER_KEY, algorithm="HS256"),
        "alg none": unsigned_token(payload),
    }


def test_refresh_refuses_forged_tokens(api_client, user):
    for kind, token in forged_refresh_tokens(user).items():
        response = api_client.post(REFRESH, {"refresh": token})
        assert response.status_code == 401, kind


def test_verify_refuses_forged_tokens(api_client, user):
    for kind, token in forged_refresh_tokens(user).items():
        response = api_client.post(VERIFY, {"token": token})
        assert response.status_code == 401, kind


def test_logout_refuses_forged_tokens(auth_client, user):
    for kind, token in forged_refresh_tokens(user).items():
        response = auth_client.post(LOGOUT, {"refresh": token})
        assert response.status_code == 400, kind


# --- token/verify/ tells the truth about revoked tokens ----------------------


def test_verify_refuses_a_used_refresh_token(api_client, user):
    pair = login(api_client, user.email)
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 200

    response = api_client.post(VERIFY, {"token": pair["refresh"]})

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_verify_refuses_a_logged_out_refresh_token(api_client, auth_client, user):
    pair = login(api_client, user.email)
    assert auth_client.post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 204

    assert api_client.post(VERIFY, {"token": pair["refresh"]}).status_code == 401


def test_verify_refuses_an_access_token_from_before_a_password_change(api_client, user):
    access = str(RefreshToken.for_user(user).access_token)
    assert api_client.post(VERIFY, {"token": access}).status_code == 200
    user.set_password("a-brand-new-passphrase-42")
    user.save(update_fields=["password"])

    response = api_client.post(VERIFY, {"token": access})

    assert response.status_code == 401
    assert me_status(access) == 401


def test_verify_refuses_a_token_of_a_deactivated_user(api_client, user):
    access = str(RefreshToken.for_user(user).access_token)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert api_client.post(VERIFY, {"token": access}).status_code == 401


def test_verify_refuses_a_token_of_a_deleted_user(api_client, user):
    access = str(RefreshToken.for_user(user).access_token)
    User.objects.filter(pk=user.pk).delete()

    assert api_client.post(VERIFY, {"token": access}).status_code == 401


def test_verify_refuses_a_non_string_token(api_client):
    assert api_client.post(VERIFY, {"token": 12345}).status_code == 400
