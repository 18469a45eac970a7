"""Odd but well-formed JSON at every accounts endpoint: a 400, never a 500."""

import pytest

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tests.utils import (
    LOGOUT,
    ME,
    PASSWORD_CHANGE,
    PASSWORD_RESET,
    PASSWORD_RESET_CONFIRM,
    REFRESH,
    REGISTER,
    STRONG_PASSWORD,
    TOKEN,
    VERIFY,
    login,
)

pytestmark = pytest.mark.django_db

ANONYMOUS_POSTS = [REGISTER, TOKEN, REFRESH, VERIFY, PASSWORD_RESET, PASSWORD_RESET_CONFIRM]
SIGNED_IN_POSTS = [LOGOUT, PASSWORD_CHANGE]


@pytest.mark.parametrize("body", ["[]", '["email"]', '"text"', "123", "true", "null"])
@pytest.mark.parametrize("path", ANONYMOUS_POSTS)
def test_a_body_that_is_not_an_object_is_400(api_client, path, body):
    response = api_client.post(path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("body", ["[]", '"text"', "123", "null"])
@pytest.mark.parametrize(
    ("method", "path"), [("post", p) for p in SIGNED_IN_POSTS] + [("patch", ME)]
)
def test_a_signed_in_body_that_is_not_an_object_is_400(auth_client, user, method, path, body):
    name = user.name

    response = getattr(auth_client, method)(path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    user.refresh_from_db()
    assert user.name == name
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (REGISTER, {"email": "a\x00@example.com", "password": STRONG_PASSWORD}, "email"),
        (
            REGISTER,
            {"email": "a@example.com", "password": STRONG_PASSWORD, "name": "A\x00"},
            "name",
        ),
        (REGISTER, {"email": "a@example.com", "password": "a-long-pass\x00phrase"}, "password"),
        (TOKEN, {"email": "a\x00@example.com", "password": DEFAULT_PASSWORD}, "email"),
        (TOKEN, {"email": "a@example.com", "password": "pass\x00word"}, "password"),
        (PASSWORD_RESET, {"email": "a\x00@example.com"}, "email"),
        (PASSWORD_RESET_CONFIRM, {"uid": "M\x00Q", "token": "t", "new_password": "x"}, "uid"),
        (REFRESH, {"refresh": "a\x00b"}, "refresh"),
    ],
)
def test_a_nul_character_is_refused_before_it_reaches_the_database(api_client, path, body, field):
    response = api_client.post(path, body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not User.objects.filter(email__startswith="a").exists()


def test_a_nul_character_in_a_new_name_is_refused(auth_client, user):
    response = auth_client.patch(ME, {"name": "Ada\x00"})

    assert response.status_code == 400
    assert "name" in response.json()


def test_passwords_are_kept_verbatim_with_their_spaces(api_client):
    spaced = f"  {STRONG_PASSWORD}  "
    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": spaced})
    assert response.status_code == 202

    trimmed = api_client.post(TOKEN, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    assert trimmed.status_code == 401
    assert login(api_client, "ada@example.com", spaced)


def test_a_128_character_password_is_accepted(api_client):
    password = (STRONG_PASSWORD * 10)[:128]

    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": password})

    assert response.status_code == 202


def test_a_129_character_password_is_refused(api_client):
    password = (STRONG_PASSWORD * 10)[:129]

    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": password})

    assert response.status_code == 400
    assert "password" in response.json()


def test_an_overlong_password_at_login_is_400_without_hashing(api_client, user):
    response = api_client.post(TOKEN, {"email": user.email, "password": "x" * 10_000})

    assert response.status_code == 400
    assert "password" in response.json()
