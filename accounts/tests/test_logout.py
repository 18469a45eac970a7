"""POST /api/v1/auth/logout/: blacklist one of the caller's own refresh tokens."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tests.utils import LOGOUT, REFRESH, expired_refresh_token, login, refresh_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [LOGOUT, LOGOUT.rstrip("/")])
def test_logout_blacklists_the_refresh_token(api_client, auth_client, user, path):
    pair = login(api_client, user.email)

    response = auth_client.post(path, {"refresh": pair["refresh"]})

    assert response.status_code == 204
    assert response.content == b""
    # simplejwt annotates the encoded token as a Token; it takes the string.
    jti = RefreshToken(pair["refresh"], verify=False)["jti"]  # type: ignore[arg-type]
    assert BlacklistedToken.objects.filter(token__jti=jti).exists()
    assert refresh_status(pair["refresh"]) == 401


def test_logout_leaves_the_users_other_sessions_alone(api_client, auth_client, user):
    phone = login(api_client, user.email)
    laptop = login(api_client, user.email)

    assert auth_client.post(LOGOUT, {"refresh": phone["refresh"]}).status_code == 204

    assert refresh_status(laptop["refresh"]) == 200


def test_logout_needs_authentication(api_client, user):
    refresh = str(RefreshToken.for_user(user))

    response = api_client.post(LOGOUT, {"refresh": refresh})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert refresh_status(refresh) == 200


def test_logout_refuses_someone_elses_refresh_token(auth_client, other_user):
    theirs = str(RefreshToken.for_user(other_user))

    response = auth_client.post(LOGOUT, {"refresh": theirs})

    assert response.status_code == 400
    assert "refresh" in response.json()
    assert not BlacklistedToken.objects.exists()
    assert refresh_status(theirs) == 200


@pytest.mark.parametrize("refresh", ["garbage", "a.b.c", ""])
def test_logout_refuses_garbage(auth_client, refresh):
    response = auth_client.post(LOGOUT, {"refresh": refresh})

    assert response.status_code == 400
    assert "refresh" in response.json()


def test_logout_refuses_a_missing_or_non_string_token(auth_client):
    assert auth_client.post(LOGOUT, {}).status_code == 400
    assert auth_client.post(LOGOUT, {"refresh": 123}).status_code == 400


def test_logout_refuses_an_access_token(auth_client, user):
    access = str(RefreshToken.for_user(user).access_token)

    response = auth_client.post(LOGOUT, {"refresh": access})

    assert response.status_code == 400


def test_logout_refuses_an_expired_refresh_token(auth_client, user):
    response = auth_client.post(LOGOUT, {"refresh": expired_refresh_token(user)})

    assert response.status_code == 400


def test_logout_twice_with_the_same_token_is_400(api_client, auth_client, user):
    pair = login(api_client, user.email)
    assert auth_client.post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 204

    response = auth_client.post(LOGOUT, {"refresh": pair["refresh"]})

    assert response.status_code == 400


def test_a_rotated_refresh_token_can_be_logged_out(api_client, auth_client, user):
    pair = login(api_client, user.email)
    rotated = api_client.post(REFRESH, {"refresh": pair["refresh"]}).json()

    assert auth_client.post(LOGOUT, {"refresh": rotated["refresh"]}).status_code == 204

    assert refresh_status(rotated["refresh"]) == 401
