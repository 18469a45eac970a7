"""The account pages, driven through the Django test client as a browser sends them."""

import html
import re

import pytest
from django.core import mail
from django.test import Client
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.utils import NEW_PASSWORD, REFRESH, STRONG_PASSWORD
from tests.clients import make_client

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PROFILE = "/accounts/profile/"
PASSWORD_CHANGE = "/accounts/password/change/"
PASSWORD_RESET = "/accounts/password/reset/"


def labels(page: str) -> set[str]:
    return {
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    }


def buttons(page: str) -> set[str]:
    return {
        re.sub(r"<[^>]+>|\s+", " ", text).strip()
        for text in re.findall(r"<button[^>]*>(.*?)</button>", page, re.S)
    }


def signed_in_as(client: Client) -> User | None:
    response = client.get("/accounts/profile/")
    return response.context["user"] if response.status_code == 200 else None


def test_home_says_what_the_service_is_and_links_sign_up_log_in_and_the_docs(browser):
    page = browser.get("/").content.decode()
    assert 'href="/accounts/signup/"' in page
    assert 'href="/accounts/login/"' in page
    assert 'href="/api/docs/"' in page
    assert 'href="/api/redoc/"' in page
    assert "Sign up" in page
    assert "Log in" in page


def test_home_sends_a_signed_in_person_to_their_todos(signed_in):
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/todos/"


def test_signup_page_has_its_labelled_fields(browser):
    page = browser.get(SIGNUP).content.decode()
    assert {"Email", "Name", "Password", "Password confirmation"} <= labels(page)
    assert "Sign up" in buttons(page)
    assert "<title>Sign up · Todo</title>" in page


def test_signup_says_check_your_inbox_and_signs_nobody_in(browser):
    response = browser.post(
        SIGNUP,
        {
            "email": " Ada@Example.com",
            "name": "Ada",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/signup/sent/", 302)]
    page = response.content.decode()
    assert "Check your inbox" in page
    assert 'href="/accounts/login/"' in page
    user = User.objects.get()
    assert (user.email, user.name, user.email_verified) == ("ada@example.com", "Ada", False)
    assert user.check_password(STRONG_PASSWORD)
    assert signed_in_as(browser) is None
    # The same account signs in to the API, unverified.
    token = make_client().post(
        "/api/v1/auth/token/", {"email": "ada@example.com", "password": STRONG_PASSWORD}
    )
    assert token.status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        (
            {"password2": "something-else-entirely"},
            "password2",
            "The two password fields didn’t match.",  # noqa: RUF001 (Django's wording)
        ),
        (
            {"password1": "password", "password2": "password"},
            "password2",
            "This password is too common.",
        ),
    ],
)
def test_signup_errors_are_shown_beside_their_fields(browser, data, field, message):
    UserFactory.create(email="taken@example.com")
    form = {
        "email": "new@example.com",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **data,
    }
    response = browser.post(SIGNUP, form)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert html.escape(message) in page
    assert not User.objects.filter(email="new@example.com").exists()


def test_login_page_has_email_and_password(browser):
    page = browser.get(LOGIN).content.decode()
    assert {"Email", "Password"} <= labels(page)
    assert "Log in" in buttons(page)


def test_login_signs_in_and_follows_a_local_next(browser, user):
    response = browser.post(
        f"{LOGIN}?next=/todos/%3Fdone%3Dtrue",
        {"username": user.email.upper(), "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/todos/?done=true"
    assert signed_in_as(browser) == user


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/todos/", "http://testserver/todos/"]
)
def test_login_ignores_a_next_that_leaves_the_site(browser, user, target):
    response = browser.post(
        LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/todos/"


def test_a_wrong_password_and_an_unknown_address_read_the_same(browser, user):
    wrong = browser.post(LOGIN, {"username": user.email, "password": "not-the-password"})
    unknown = browser.post(
        LOGIN, {"username": "nobody@example.com", "password": "not-the-password"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "The email or the password is not correct."
        ]
    assert signed_in_as(browser) is None


def test_an_inactive_account_cannot_log_in(browser):
    user = UserFactory.create(is_active=False)
    response = browser.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The email or the password is not correct."
    ]


def test_logout_is_post_only(signed_in, user):
    assert signed_in.get(LOGOUT).status_code == 405
    assert signed_in_as(signed_in) == user
    response = signed_in.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(signed_in) is None


def test_the_header_shows_who_is_signed_in_and_a_log_out_button(signed_in, user):
    page = signed_in.get(PROFILE).content.decode()
    assert user.email in page
    assert re.search(r'<form method="post" action="/accounts/logout/"', page)
    assert "Log out" in buttons(page)


def test_pages_that_need_a_session_send_to_log_in(browser):
    response = browser.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_profile_changes_the_name(signed_in, user):
    page = signed_in.get(PROFILE).content.decode()
    assert "Name" in labels(page)
    response = signed_in.post(PROFILE, {"name": "Grace Hopper"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Grace Hopper"
    assert "Your profile is saved." in signed_in.get(PROFILE).content.decode()


def test_profile_refuses_a_name_over_150_characters(signed_in, user):
    response = signed_in.post(PROFILE, {"name": "x" * 151})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    user.refresh_from_db()
    assert user.name != "x" * 151


def api_session(user: User) -> str:
    """A refresh token, as an API client holds after signing in."""
    return str(RefreshToken.for_user(user))


def test_password_change_ends_the_api_sessions_and_keeps_this_browser(signed_in, user):
    refresh = api_session(user)
    wrong = signed_in.post(
        PASSWORD_CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors

    response = signed_in.post(
        PASSWORD_CHANGE,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_as(signed_in) == user
    assert make_client().post(REFRESH, {"refresh": refresh}).status_code == 401


def reset_link() -> str:
    (message,) = mail.outbox
    link = re.search(
        r"https://testserver(?::\d+)?(/accounts/password/reset/[^/\s]+/[^/\s]+/)", str(message.body)
    )
    assert link, message.body
    return link.group(1)


def test_password_reset_mails_a_link_that_sets_the_password_and_ends_the_api_sessions(
    browser, user, django_capture_on_commit_callbacks
):
    refresh = api_session(user)
    page = browser.get(PASSWORD_RESET).content.decode()
    assert "Email" in labels(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(PASSWORD_RESET, {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"

    confirm = browser.get(reset_link())
    assert confirm.status_code == 302  # Django moves the token out of the address
    form_page = browser.get(confirm["Location"])
    assert form_page.context["validlink"] is True
    done = browser.post(
        confirm["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert make_client().post(REFRESH, {"refresh": refresh}).status_code == 401
    assert OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).count() == 0
    # The link is spent.
    assert browser.get(reset_link()).context["validlink"] is False


def test_the_reset_link_keeps_a_host_that_spells_uid_or_token(
    browser, user, settings, django_capture_on_commit_callbacks
):
    host = "FLUID.TOKEN.EXAMPLE"
    settings.ALLOWED_HOSTS = [host.lower()]
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(PASSWORD_RESET, {"email": user.email}, HTTP_HOST=host)
    (message,) = mail.outbox
    assert re.search(rf"https://{host}/accounts/password/reset/[^/\s]+/[^/\s]+/", str(message.body))


def test_password_reset_answers_the_same_for_an_unknown_address(
    browser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = browser.post(PASSWORD_RESET, {"email": "nobody@example.com"})
    assert len(callbacks) == 1  # the mail task is queued all the same
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_bad_reset_link_says_so(browser, user):
    response = browser.get("/accounts/password/reset/MQ/not-a-token/")
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "invalid or has expired" in response.content.decode()


def test_a_form_without_its_csrf_token_is_a_403_page_with_a_way_back(user):
    client = Client(
        enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver"
    )
    response = client.post(
        LOGIN,
        {"username": user.email, "password": DEFAULT_PASSWORD},
        HTTP_REFERER="https://testserver/accounts/login/",
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The form expired" in page
    assert 'href="https://testserver/accounts/login/"' in page
    assert signed_in_as(client) is None


def test_the_csrf_page_links_home_rather_than_to_another_site(user):
    client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")
    response = client.post(LOGIN, {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert 'href="/"' in response.content.decode()
    assert "evil.example" not in response.content.decode()


def test_the_login_form_works_with_its_csrf_token(user):
    client = Client(
        enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver"
    )
    page = client.get(LOGIN).content.decode()
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert field, page
    token = field.group(1)
    response = client.post(
        LOGIN,
        {"username": user.email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://testserver",
    )
    assert response.status_code == 302
