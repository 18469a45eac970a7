"""Paths and token plumbing shared by the accounts tests."""

import base64
import json
from datetime import timedelta

from django.test import TestCase
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD
from tests.clients import make_client

AUTH = "/api/v1/auth/"
REGISTER = f"{AUTH}register/"
TOKEN = f"{AUTH}token/"
REFRESH = f"{AUTH}token/refresh/"
VERIFY = f"{AUTH}token/verify/"
LOGOUT = f"{AUTH}logout/"
ME = f"{AUTH}me/"
PASSWORD_CHANGE = f"{AUTH}password/change/"
PASSWORD_RESET = f"{AUTH}password/reset/"
PASSWORD_RESET_CONFIRM = f"{AUTH}password/reset/confirm/"

# Pass every Django password validator, for any email the tests use.
STRONG_PASSWORD = "a-long-passphrase-1815"
NEW_PASSWORD = "another-long-passphrase-1984"

# A signing key the server has never seen, for forged tokens.
OTHER_KEY = "an-entirely-different-signing-key-that-the-server-has-never-seen-0123"


def post_reset(client: APIClient, body: object, path: str = PASSWORD_RESET):
    """
    Ask for a password reset, then run what the request queued for after its
    commit (the mail task; eagerly in the suite), as a real commit would.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, body)


def login(client: APIClient, email: str, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
    """A fresh ``{access, refresh}`` pair through the token endpoint."""
    response = client.post(TOKEN, {"email": email, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def bearer_client(access: str) -> APIClient:
    """An https client that sends ``access`` as its bearer token."""
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def refresh_status(refresh: str) -> int:
    """The status a refresh with this token gets, from a fresh client."""
    return make_client().post(REFRESH, {"refresh": refresh}).status_code


def me_status(access: str) -> int:
    return bearer_client(access).get(ME).status_code


def expired_access_token(user: User) -> str:
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(minutes=1))
    return str(token)


def expired_refresh_token(user: User) -> str:
    token = RefreshToken.for_user(user)
    token.set_exp(lifetime=-timedelta(minutes=1))
    return str(token)


def unsigned_token(payload: dict) -> str:
    """A JWT with ``alg: none`` and no signature at all."""

    def part(data: dict) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."
