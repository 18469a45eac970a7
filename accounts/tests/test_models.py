"""The user model and its manager: email is the login, unique whatever its case."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User, normalize_email

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Ada@Example.COM", "ada@example.com"),
        ("  ada@example.com\t", "ada@example.com"),
        ("ADA.LOVELACE+todo@EXAMPLE.com", "ada.lovelace+todo@example.com"),
    ],
)
def test_normalize_email_lowercases_the_whole_address(raw, normal):
    assert normalize_email(raw) == normal


def test_create_user_normalises_email_and_hashes_password():
    user = User.objects.create_user(email="  Ada@Example.COM ", password="a-long-passphrase-1815")

    assert user.email == "ada@example.com"
    assert User.objects.get(pk=user.pk).email == "ada@example.com"
    assert user.password.startswith("argon2")
    assert user.check_password("a-long-passphrase-1815")
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert user.name == ""
    assert user.date_joined is not None


def test_create_user_without_a_password_has_an_unusable_one():
    user = User.objects.create_user(email="ada@example.com")

    assert not user.has_usable_password()


@pytest.mark.parametrize("email", ["", None])
def test_create_user_requires_an_email(email):
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user(email=email, password="x")

    assert not User.objects.exists()


def test_create_superuser_sets_the_flags():
    admin = User.objects.create_superuser(email="Boss@Example.com", password="x")

    assert admin.email == "boss@example.com"
    assert (admin.is_staff, admin.is_superuser, admin.is_active) == (True, True, True)


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_create_superuser_refuses_a_missing_flag(flag):
    with pytest.raises(ValueError, match="superuser"):
        User.objects.create_superuser(email="boss@example.com", password="x", **{flag: False})

    assert not User.objects.exists()


def test_the_database_refuses_the_same_email_in_another_case():
    """The constraint holds even for writes that skip the manager's normalising."""
    User.objects.create(email="a@x.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="A@x.com")

    assert User.objects.count() == 1


def test_the_database_refuses_the_exact_same_email():
    User.objects.create(email="a@x.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="a@x.com")


def test_get_by_natural_key_ignores_case_and_spaces():
    user = User.objects.create(email="ada@example.com")

    assert User.objects.get_by_natural_key(" ADA@example.COM ") == user


def test_clean_normalises_the_email():
    user = User(email=" Ada@Example.com ")

    user.clean()

    assert user.email == "ada@example.com"


def test_str_is_the_email():
    assert str(User(email="ada@example.com")) == "ada@example.com"


def test_names_fall_back_to_the_email():
    named = User(email="ada@example.com", name="Ada Lovelace")
    unnamed = User(email="ada@example.com")

    assert named.get_full_name() == named.get_short_name() == "Ada Lovelace"
    assert unnamed.get_full_name() == unnamed.get_short_name() == "ada@example.com"


def test_email_is_the_login_field():
    assert User.USERNAME_FIELD == "email"
    assert User.EMAIL_FIELD == "email"
    assert User.REQUIRED_FIELDS == []
