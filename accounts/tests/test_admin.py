"""The Django admin for users, and creating its first staff account."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.utils import STRONG_PASSWORD, me_status, refresh_status

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"
ADD = "/admin/accounts/user/add/"


def https_client() -> Client:
    """Django's test client arriving through the TLS-terminating proxy."""
    return Client(headers={"X-Forwarded-Proto": "https"})


@pytest.fixture
def admin_user() -> User:
    return UserFactory.create(email="boss@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_web(admin_user) -> Client:
    client = https_client()
    client.force_login(admin_user)
    return client


# --- createsuperuser --------------------------------------------------------


def test_createsuperuser_without_prompts_makes_a_staff_superuser(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Admin@Example.COM")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG_PASSWORD)

    call_command("createsuperuser", interactive=False, verbosity=0)

    admin = User.objects.get()
    assert admin.email == "admin@example.com"
    assert (admin.is_staff, admin.is_superuser, admin.is_active) == (True, True, True)
    assert admin.check_password(STRONG_PASSWORD)
    client = https_client()
    assert client.login(email="admin@example.com", password=STRONG_PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Site administration" in response.content


def test_createsuperuser_refuses_an_existing_email_in_another_case(monkeypatch):
    UserFactory.create(email="admin@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ADMIN@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG_PASSWORD)

    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", interactive=False, verbosity=0)

    assert User.objects.count() == 1
    assert not User.objects.get().is_superuser


def test_the_admin_login_form_takes_an_email(admin_user):
    client = https_client()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "BOSS@example.com", "password": DEFAULT_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_refuses_plain_users():
    client = https_client()
    client.force_login(UserFactory.create())

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_is_https_only(admin_user):
    client = Client()
    client.force_login(admin_user)

    response = client.get("/admin/")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# --- the user admin ---------------------------------------------------------


def test_changelist_lists_users(admin_web):
    UserFactory.create(email="alice@example.com")

    response = admin_web.get(CHANGELIST)

    assert response.status_code == 200
    assert b"alice@example.com" in response.content
    assert b"boss@example.com" in response.content


def test_changelist_searches_by_email(admin_web):
    UserFactory.create(email="alice@example.com", name="A")
    UserFactory.create(email="bob@example.com", name="B")

    response = admin_web.get(CHANGELIST, {"q": "alice"})

    assert response.status_code == 200
    assert b"alice@example.com" in response.content
    assert b"bob@example.com" not in response.content


def test_changelist_searches_by_name(admin_web):
    UserFactory.create(email="alice@example.com", name="Alice Liddell")
    UserFactory.create(email="bob@example.com", name="Bob Dylan")

    response = admin_web.get(CHANGELIST, {"q": "Dylan"})

    assert b"bob@example.com" in response.content
    assert b"alice@example.com" not in response.content


def test_changelist_filters_by_staff(admin_web):
    UserFactory.create(email="alice@example.com")

    response = admin_web.get(CHANGELIST, {"is_staff__exact": "1"})

    assert response.status_code == 200
    assert b"boss@example.com" in response.content
    assert b"alice@example.com" not in response.content


def test_changelist_shows_and_filters_on_email_verified(admin_web):
    UserFactory.create(email="checked@example.com", email_verified=True)
    UserFactory.create(email="unchecked@example.com")

    listed = admin_web.get(CHANGELIST).content.decode()
    verified = admin_web.get(CHANGELIST, {"email_verified__exact": "1"}).content.decode()
    unverified = admin_web.get(CHANGELIST, {"email_verified__exact": "0"}).content.decode()

    assert "column-email_verified" in listed
    assert "By email verified" in listed
    assert "checked@example.com" in verified
    assert "unchecked@example.com" not in verified
    assert "unchecked@example.com" in unverified
    assert ">checked@example.com<" not in unverified


def test_staff_mark_accounts_verified_with_an_action(admin_web):
    picked = UserFactory.create_batch(2)
    left = UserFactory.create()

    response = admin_web.post(
        CHANGELIST,
        {"action": "mark_email_verified", "_selected_action": [user.pk for user in picked]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 addresses marked verified." in response.content.decode()
    assert set(User.objects.filter(email_verified=True).values_list("pk", flat=True)) == {
        user.pk for user in picked
    }
    left.refresh_from_db()
    assert not left.email_verified


def test_the_change_page_shows_email_verified(admin_web):
    user = UserFactory.create()

    response = admin_web.get(f"{CHANGELIST}{user.pk}/change/")

    assert 'name="email_verified"' in response.content.decode()


def test_add_page_renders(admin_web):
    response = admin_web.get(ADD)

    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b'name="password1"' in response.content


def test_add_page_creates_a_user_with_email_and_password(admin_web, api_client):
    response = admin_web.post(
        ADD,
        {
            "email": "New.Person@Example.com",
            "usable_password": "true",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 302, response.content
    created = User.objects.get(email="new.person@example.com")
    assert response["Location"] == f"/admin/accounts/user/{created.pk}/change/"
    assert created.check_password(STRONG_PASSWORD)
    assert (created.is_staff, created.is_superuser, created.is_active) == (False, False, True)
    login = api_client.post(
        "/api/v1/auth/token/", {"email": "new.person@example.com", "password": STRONG_PASSWORD}
    )
    assert login.status_code == 200


def test_add_page_refuses_an_existing_email_in_another_case(admin_web):
    UserFactory.create(email="alice@example.com")

    response = admin_web.post(
        ADD,
        {
            "email": "ALICE@example.com",
            "usable_password": "true",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_add_page_refuses_a_weak_or_mismatched_password(admin_web):
    weak = admin_web.post(
        ADD,
        {
            "email": "a@example.com",
            "usable_password": "true",
            "password1": "password1",
            "password2": "password1",
        },
    )
    mismatched = admin_web.post(
        ADD,
        {
            "email": "a@example.com",
            "usable_password": "true",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD + "x",
        },
    )

    assert weak.status_code == 200
    assert mismatched.status_code == 200
    assert weak.context["adminform"].form.errors["password2"]
    assert mismatched.context["adminform"].form.errors["password2"]
    assert not User.objects.filter(email="a@example.com").exists()


def test_add_page_may_create_a_user_without_a_usable_password(admin_web):
    response = admin_web.post(ADD, {"email": "nopass@example.com", "usable_password": "false"})

    assert response.status_code == 302, response.content
    assert not User.objects.get(email="nopass@example.com").has_usable_password()


def test_change_page_renders(admin_web):
    alice = UserFactory.create(email="alice@example.com", name="Alice Liddell")

    response = admin_web.get(f"/admin/accounts/user/{alice.pk}/change/")

    assert response.status_code == 200
    assert b"alice@example.com" in response.content
    assert b"Alice Liddell" in response.content
    assert b"argon2" in response.content  # the hash summary, never the password


def change_form(user: User, **fields: str) -> dict[str, str]:
    """The change page's form data for ``user``, active, with ``fields`` overriding."""
    return {
        "email": user.email,
        "name": user.name,
        "is_active": "on",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "00:00:00",
        **fields,
    }


def test_change_page_normalises_a_new_email(admin_web):
    alice = UserFactory.create(email="alice@example.com")

    response = admin_web.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        change_form(alice, email="  Alice.Liddell@Example.COM "),
    )

    assert response.status_code == 302, response.content
    alice.refresh_from_db()
    assert alice.email == "alice.liddell@example.com"


def test_change_page_refuses_another_users_email_in_another_case(admin_web):
    alice = UserFactory.create(email="alice@example.com")
    UserFactory.create(email="bob@example.com")

    response = admin_web.post(
        f"/admin/accounts/user/{alice.pk}/change/", change_form(alice, email="BOB@example.com")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_change_page_deactivates_a_user_who_is_then_locked_out(admin_web):
    alice = UserFactory.create(email="alice@example.com", name="Alice")
    access = str(AccessToken.for_user(alice))
    assert me_status(access) == 200

    response = admin_web.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {
            "email": "alice@example.com",
            "name": "Alice",
            "date_joined_0": "2020-01-01",
            "date_joined_1": "00:00:00",
            # is_active unchecked: left out of the form data
        },
    )

    assert response.status_code == 302, response.content
    alice.refresh_from_db()
    assert not alice.is_active
    assert me_status(access) == 401


def test_password_change_page_sets_a_password(admin_web):
    alice = UserFactory.create(email="alice@example.com")

    response = admin_web.post(
        f"/admin/accounts/user/{alice.pk}/password/",
        {"usable_password": "true", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )

    assert response.status_code == 302, response.content
    alice.refresh_from_db()
    assert alice.check_password(STRONG_PASSWORD)


def test_a_password_set_in_the_admin_ends_the_users_sessions(admin_web):
    """An admin resetting a compromised account's password locks the old tokens out."""
    alice = UserFactory.create(email="alice@example.com")
    refresh = RefreshToken.for_user(alice)
    access = str(refresh.access_token)

    response = admin_web.post(
        f"/admin/accounts/user/{alice.pk}/password/",
        {"usable_password": "true", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )

    assert response.status_code == 302, response.content
    assert me_status(access) == 401
    assert refresh_status(str(refresh)) == 401
