"""Bearer authentication: every kind of bad token is a 401 that says ``Bearer``."""

import jwt
import pytest
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User
from accounts.tests.utils import (
    ME,
    OTHER_KEY,
    bearer_client,
    expired_access_token,
    me_status,
    refresh_status,
    unsigned_token,
)
from tests.clients import make_client

pytestmark = pytest.mark.django_db


def assert_bearer_challenge(response) -> None:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_no_token_is_401_with_a_bearer_challenge(api_client):
    assert_bearer_challenge(api_client.get(ME))


@pytest.mark.parametrize(
    "header",
    ["Bearer garbage", "Bearer a.b.c", "Bearer ", "Bearer two words", "Bearer \u00e9t\u00e9"],
)
def test_garbage_token_is_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    assert_bearer_challenge(api_client.get(ME))


def test_other_auth_schemes_are_not_accepted(user):
    access = str(AccessToken.for_user(user))
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {access}")

    assert_bearer_challenge(client.get(ME))


def test_a_token_signed_with_the_real_key_is_accepted(user):
    """Control for the forgery test: the same hand-built payload, signed properly, works."""
    payload = dict(AccessToken.for_user(user).payload)
    token = jwt.encode(payload, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")

    assert bearer_client(token).get(ME).status_code == 200


def test_a_token_signed_with_another_key_is_401(user):
    payload = dict(AccessToken.for_user(user).payload)
    forged = jwt.encode(payload, OTHER_KEY, algorithm="HS256")

    assert_bearer_challenge(bearer_client(forged).get(ME))


def test_an_alg_none_token_is_401(user):
    payload = dict(AccessToken.for_user(user).payload)

    assert_bearer_challenge(bearer_client(unsigned_token(payload)).get(ME))


def test_a_token_with_a_tampered_payload_is_401(user, other_user):
    """Swap the user id inside a real token but keep its signature."""
    real = str(AccessToken.for_user(user))
    header, _, signature = real.split(".")
    payload = dict(AccessToken.for_user(user).payload, user_id=str(other_user.pk))
    forged_payload = unsigned_token(payload).split(".")[1]

    assert_bearer_challenge(bearer_client(f"{header}.{forged_payload}.{signature}").get(ME))


def test_an_expired_access_token_is_401(user):
    assert_bearer_challenge(bearer_client(expired_access_token(user)).get(ME))


def test_a_refresh_token_is_not_an_access_token(user):
    refresh = str(RefreshToken.for_user(user))

    assert_bearer_challenge(bearer_client(refresh).get(ME))


def test_a_token_for_a_deleted_user_is_401(user):
    access = str(AccessToken.for_user(user))
    User.objects.filter(pk=user.pk).delete()

    assert_bearer_challenge(bearer_client(access).get(ME))


def test_deactivating_a_user_locks_them_out_at_the_next_request(user):
    refresh = RefreshToken.for_user(user)
    access = str(refresh.access_token)
    assert me_status(access) == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_bearer_challenge(bearer_client(access).get(ME))
    assert refresh_status(str(refresh)) == 401


def test_reactivating_a_user_lets_the_same_token_back_in(user):
    access = str(AccessToken.for_user(user))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert me_status(access) == 401

    User.objects.filter(pk=user.pk).update(is_active=True)

    assert me_status(access) == 200
