"""POST /api/v1/auth/register/: who may sign up, and what is stored (the answer: test_sign_up)."""

import pytest

from accounts.models import User
from accounts.services import SIGN_UP_ACCEPTED
from accounts.tests.factories import UserFactory
from accounts.tests.utils import REGISTER, STRONG_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [REGISTER, REGISTER.rstrip("/")])
def test_register_returns_exactly_detail_and_email(api_client, path):
    response = api_client.post(
        path, {"email": "ada@example.com", "password": STRONG_PASSWORD, "name": "Ada"}
    )

    assert response.status_code == 202, response.content
    user = User.objects.get(email="ada@example.com")
    assert response.json() == {"detail": SIGN_UP_ACCEPTED, "email": "ada@example.com"}
    assert user.name == "Ada"
    assert not user.email_verified
    assert user.check_password(STRONG_PASSWORD)
    assert user.is_active
    assert not user.is_staff
    assert not user.is_superuser


def test_register_never_echoes_the_password(api_client):
    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    assert response.status_code == 202
    assert "password" not in response.json()
    assert STRONG_PASSWORD not in response.content.decode()


def test_register_stores_the_password_hashed(api_client):
    api_client.post(REGISTER, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    stored = User.objects.get(email="ada@example.com").password
    assert stored.startswith("argon2")
    assert STRONG_PASSWORD not in stored


def test_register_name_is_optional(api_client):
    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    assert response.status_code == 202
    assert User.objects.get(email="ada@example.com").name == ""


def test_register_normalises_the_email(api_client):
    response = api_client.post(
        REGISTER, {"email": "  Ada.Lovelace@Example.COM ", "password": STRONG_PASSWORD}
    )

    assert response.status_code == 202, response.content
    assert response.json()["email"] == "ada.lovelace@example.com"
    assert User.objects.filter(email="ada.lovelace@example.com").count() == 1


@pytest.mark.parametrize(
    "duplicate", ["ada@example.com", "ADA@EXAMPLE.COM", "Ada@Example.com", " ada@example.com "]
)
def test_register_answers_an_existing_email_in_any_case_as_a_new_one(api_client, duplicate):
    owner = UserFactory.create(email="ada@example.com", name="Ada")
    stored = User.objects.values().get(pk=owner.pk)

    response = api_client.post(
        REGISTER, {"email": duplicate, "password": STRONG_PASSWORD, "name": "Mallory"}
    )

    assert response.status_code == 202
    assert response.json() == {"detail": SIGN_UP_ACCEPTED, "email": "ada@example.com"}
    assert User.objects.count() == 1
    assert User.objects.values().get(pk=owner.pk) == stored


@pytest.mark.parametrize(
    "email",
    ["not-an-email", "ada@", "@example.com", "ada@example", f"{'a' * 250}@example.com", ""],
)
def test_register_refuses_an_invalid_email(api_client, email):
    response = api_client.post(REGISTER, {"email": email, "password": STRONG_PASSWORD})

    assert response.status_code == 400
    assert "email" in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab3!xyz", "too short"),
        ("qwertyuiop", "too common"),
        ("8473629105", "entirely numeric"),
        ("jonathansmithers", "too similar"),
    ],
)
def test_register_refuses_a_weak_password(api_client, password, message):
    response = api_client.post(
        REGISTER, {"email": "jonathan.smithers@example.com", "password": password}
    )

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["password"]
    assert any(message in error for error in errors["password"])
    assert not User.objects.exists()


def test_register_refuses_an_overlong_name(api_client):
    response = api_client.post(
        REGISTER, {"email": "ada@example.com", "password": STRONG_PASSWORD, "name": "x" * 151}
    )

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", 12345),
        ("email", ["ada@example.com"]),
        ("email", None),
        ("password", 123456789012),
        ("password", True),
        ("password", {"value": STRONG_PASSWORD}),
        ("name", 42),
        ("name", ["Ada"]),
    ],
)
def test_register_refuses_wrong_json_types_instead_of_coercing(api_client, field, value):
    body = {"email": "ada@example.com", "password": STRONG_PASSWORD, "name": "Ada", field: value}

    response = api_client.post(REGISTER, body)

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({}, {"email", "password"}),
        ({"email": "ada@example.com"}, {"password"}),
        ({"password": STRONG_PASSWORD}, {"email"}),
        ({"name": "Ada"}, {"email", "password"}),
    ],
)
def test_register_requires_email_and_password(api_client, body, missing):
    response = api_client.post(REGISTER, body)

    assert response.status_code == 400
    assert set(response.json()) == missing
    assert not User.objects.exists()


def test_register_ignores_privilege_fields(api_client):
    response = api_client.post(
        REGISTER,
        {
            "email": "ada@example.com",
            "password": STRONG_PASSWORD,
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
            "email_verified": True,
        },
    )

    assert response.status_code == 202
    user = User.objects.get(email="ada@example.com")
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert not user.email_verified


def test_register_ignores_a_bearer_token(api_client):
    """Signing up needs no account: even a garbage token does not turn it into a 401."""
    api_client.credentials(HTTP_AUTHORIZATION="Bearer garbage")

    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    assert response.status_code == 202


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_register_accepts_only_post(api_client, method):
    response = getattr(api_client, method)(REGISTER)

    assert response.status_code == 405
