"""
Sign-up that tells nobody who has an account (API and page): the same answer,
the same work, and the mails each case sends; the resend of the verification
mail; the unverified notice on the pages.
"""

import re
import time

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import Client, TestCase, override_settings

from accounts import emails
from accounts.models import User
from accounts.services import ALREADY_VERIFIED, SIGN_UP_ACCEPTED
from accounts.tasks import send_verification_email
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_throttling import with_rates
from accounts.tests.utils import AUTH, ME, REGISTER, STRONG_PASSWORD, TOKEN
from tests.clients import make_client

pytestmark = pytest.mark.django_db

RESEND = f"{AUTH}verify-email/resend/"
VERIFY_EMAIL = f"{AUTH}verify-email/"
SIGNUP = "/accounts/signup/"
RESEND_PAGE = "/accounts/verify/resend/"
VERIFY_SUBJECT = "Verify your email address"
ATTEMPT_SUBJECT = "Someone tried to sign up with your address"
#: A verification token as mailed: Django's signing, payload:timestamp:signature.
TOKEN_PATTERN = r"[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+"
#: The test clients send no Host header: Django names the port.
SITE = r"https://testserver(?::80)?"


def sign_up(client, body: dict, path: str = REGISTER, **extra):
    """Post, then run what the request queued after its commit (the mail task, eagerly)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, body, **extra)


def text(message: EmailMessage) -> str:
    return str(message.body)


def html_part(message: EmailMessage) -> str:
    assert isinstance(message, EmailMultiAlternatives)
    ((content, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return str(content)


def mailed_token(message: EmailMessage) -> str:
    link = re.search(rf"{SITE}/accounts/verify/({TOKEN_PATTERN})/", text(message))
    assert link, text(message)
    return link[1]


class CountingHasher(Argon2PasswordHasher):
    """Argon2, counting the passwords it hashes (the hasher is configuration, not our code)."""

    hashed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed += 1
        return super().encode(password, salt)


# --- the API's answer -----------------------------------------------------------


def test_a_new_and_a_taken_address_get_the_same_answer(api_client):
    UserFactory.create(email="taken@example.com")

    new = sign_up(api_client, {"email": "new@example.com", "password": STRONG_PASSWORD})
    taken = sign_up(api_client, {"email": "Taken@Example.com", "password": STRONG_PASSWORD})

    assert (new.status_code, taken.status_code) == (202, 202)
    assert new.json() == {"detail": SIGN_UP_ACCEPTED, "email": "new@example.com"}
    assert taken.json() == {"detail": SIGN_UP_ACCEPTED, "email": "taken@example.com"}
    assert new.headers.keys() == taken.headers.keys()


def test_a_new_address_gets_an_unverified_account_and_a_verification_mail(api_client):
    response = sign_up(
        api_client, {"email": "Ada@Example.com", "password": STRONG_PASSWORD, "name": "Ada"}
    )

    assert response.status_code == 202
    user = User.objects.get()
    assert (user.email, user.name, user.email_verified) == ("ada@example.com", "Ada", False)
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["ada@example.com"], VERIFY_SUBJECT)
    token = mailed_token(message)
    assert "POST /api/v1/auth/verify-email/" in text(message)
    assert f"\n{token}\n" in text(message)
    assert re.search(rf'href="{SITE}/accounts/verify/{token}/"', html_part(message))


def test_the_mailed_token_verifies_the_account_through_the_api(api_client):
    sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD})
    (message,) = mail.outbox

    assert api_client.post(VERIFY_EMAIL, {"token": mailed_token(message)}).status_code == 204

    assert User.objects.get().email_verified


def test_a_new_account_signs_in_at_once_unverified(api_client):
    sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    tokens = api_client.post(TOKEN, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    assert tokens.status_code == 200
    me = make_client(User.objects.get()).get(ME).json()
    assert me["email_verified"] is False


@pytest.mark.parametrize("sent", ["ada@example.com", "ADA@example.COM", " Ada@Example.com "])
def test_a_taken_address_changes_nothing_and_tells_its_owner(api_client, sent):
    owner = UserFactory.create(email="ada@example.com", name="Ada", email_verified=True)
    stored = User.objects.values().get(pk=owner.pk)

    response = sign_up(api_client, {"email": sent, "password": STRONG_PASSWORD, "name": "Eve"})

    assert response.status_code == 202
    assert User.objects.count() == 1
    assert User.objects.values().get(pk=owner.pk) == stored
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["ada@example.com"], ATTEMPT_SUBJECT)
    assert re.search(rf"{SITE}/accounts/password/reset/\n", text(message))
    assert re.search(rf"{SITE}/accounts/login/\n", text(message))
    assert re.search(rf'href="{SITE}/accounts/password/reset/"', html_part(message))
    # No token of any kind: only the links anybody can open.
    assert not re.search(TOKEN_PATTERN, text(message))
    assert "/accounts/verify/" not in text(message) + html_part(message)
    assert "Resend" not in text(message)  # verified: nothing to resend


def test_an_unverified_owner_is_told_how_to_get_a_new_link(api_client):
    UserFactory.create(email="ada@example.com")

    sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    (message,) = mail.outbox
    assert 'press "Resend" for a new link' in text(message)
    assert not re.search(TOKEN_PATTERN, text(message))


def test_a_flood_on_a_taken_address_mails_its_owner_once_an_hour(api_client, settings):
    assert settings.SIGN_UP_ATTEMPT_MAIL_INTERVAL == 3600
    UserFactory.create(email="ada@example.com")
    body = {"email": "ada@example.com", "password": STRONG_PASSWORD}

    answers = [sign_up(api_client, body).status_code for _ in range(5)]

    assert answers == [202] * 5
    assert [message.subject for message in mail.outbox] == [ATTEMPT_SUBJECT]


def test_once_the_interval_is_over_the_next_attempt_mails_again(settings):
    """
    The rule with a two-second interval, in the cache the suite runs on (Redis
    too); the mail function itself, as the task runs it: a whole sign-up
    (an Argon2 hash) can take longer than the interval on a busy machine.
    """
    settings.SIGN_UP_ATTEMPT_MAIL_INTERVAL = 2
    UserFactory.create(email="ada@example.com")
    site = "https://testserver"

    first = [emails.sign_up_attempt_email_send(email="ada@example.com", site_url=site)]
    first.append(emails.sign_up_attempt_email_send(email="ada@example.com", site_url=site))
    time.sleep(2.5)
    later = [emails.sign_up_attempt_email_send(email="ada@example.com", site_url=site)]
    later.append(emails.sign_up_attempt_email_send(email="ada@example.com", site_url=site))

    assert (first, later) == ([True, False], [True, False])
    assert [message.subject for message in mail.outbox] == [ATTEMPT_SUBJECT] * 2


def test_the_hourly_limit_is_per_address(api_client):
    UserFactory.create(email="ada@example.com")
    UserFactory.create(email="bob@example.com")

    for email in ("ada@example.com", "bob@example.com", "ada@example.com"):
        sign_up(api_client, {"email": email, "password": STRONG_PASSWORD})

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.com",
        "bob@example.com",
    ]


def test_a_send_that_fails_gives_the_hour_back(api_client, settings):
    """The claim is released, so the retried send (or the next attempt) still mails."""
    UserFactory.create(email="ada@example.com")
    body = {"email": "ada@example.com", "password": STRONG_PASSWORD}
    settings.EMAIL_BACKEND = "accounts.tests.test_password_reset.UnreachableSMTPBackend"
    sign_up(api_client, body)  # the eager task fails: logged, not the answer's business
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert sign_up(api_client, body).status_code == 202

    assert [message.subject for message in mail.outbox] == [ATTEMPT_SUBJECT]


def test_an_inactive_owner_gets_no_mail(api_client):
    UserFactory.create(email="ada@example.com", is_active=False)

    response = sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    assert response.status_code == 202
    assert mail.outbox == []


def test_both_cases_hash_the_password_and_queue_one_mail(api_client, django_assert_max_num_queries):
    """The same work either way: one Argon2 hash, one task queued, a bounded number of queries."""
    UserFactory.create(email="taken@example.com")
    hasher = f"{__name__}.CountingHasher"
    with override_settings(PASSWORD_HASHERS=[hasher]):
        for email in ("new@example.com", "taken@example.com"):
            before = CountingHasher.hashed
            with (
                django_assert_max_num_queries(6),
                TestCase.captureOnCommitCallbacks(execute=False) as queued,
            ):
                body = {"email": email, "password": STRONG_PASSWORD}
                assert api_client.post(REGISTER, body).status_code == 202
            assert CountingHasher.hashed == before + 1, email
            assert len(queued) == 1, email


@pytest.mark.parametrize("taken", [False, True])
def test_the_password_rules_apply_whoever_owns_the_address(api_client, taken):
    if taken:
        UserFactory.create(email="jonathan.smithers@example.com")

    response = sign_up(
        api_client, {"email": "jonathan.smithers@example.com", "password": "jonathansmithers"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert mail.outbox == []


def test_the_mails_escape_a_name_in_html_and_keep_it_in_text(api_client):
    name = '<b>Ada</b> & "Co"'
    sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD, "name": name})

    (message,) = mail.outbox
    assert f"Hello {name}," in text(message)
    html = html_part(message)
    assert "Hello &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Co&quot;," in html
    assert "<b>Ada</b>" not in html


def test_the_attempt_mail_escapes_the_owners_name(api_client):
    UserFactory.create(email="ada@example.com", name="<i>Ada</i>")

    sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    (message,) = mail.outbox
    assert "Hello <i>Ada</i>," in text(message)
    assert "Hello &lt;i&gt;Ada&lt;/i&gt;," in html_part(message)


def test_the_mail_links_to_the_host_the_request_came_to(api_client, settings):
    settings.ALLOWED_HOSTS = ["todo.example.org"]

    sign_up(
        api_client,
        {"email": "ada@example.com", "password": STRONG_PASSWORD},
        HTTP_HOST="todo.example.org",
    )

    (message,) = mail.outbox
    assert "https://todo.example.org/accounts/verify/" in text(message)


def test_a_host_not_allowed_is_refused_before_anything_is_done(api_client):
    response = sign_up(
        api_client,
        {"email": "ada@example.com", "password": STRONG_PASSWORD},
        HTTP_HOST="evil.example",
    )

    assert response.status_code == 400
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_redelivered_verification_task_mails_once(user):
    kwargs = {"user_id": user.pk, "send_id": "sign-up-1", "site_url": "https://testserver"}
    send_verification_email.apply(kwargs=kwargs).get()
    send_verification_email.apply(kwargs=kwargs).get()

    assert len(mail.outbox) == 1


def test_a_verification_task_for_an_account_verified_meanwhile_mails_nothing(user):
    User.objects.filter(pk=user.pk).update(email_verified=True)

    send_verification_email.apply(
        kwargs={"user_id": user.pk, "send_id": "s", "site_url": "https://testserver"}
    ).get()

    assert mail.outbox == []


# --- resend ---------------------------------------------------------------------


def test_resend_mails_a_fresh_link_to_an_unverified_caller(auth_client, user):
    response = sign_up(auth_client, {}, path=RESEND)

    assert response.status_code == 202
    assert response.json() == {"detail": f"A new verification mail is on its way to {user.email}."}
    (message,) = mail.outbox
    assert (message.to, message.subject) == ([user.email], VERIFY_SUBJECT)
    assert make_client().post(VERIFY_EMAIL, {"token": mailed_token(message)}).status_code == 204


def test_resend_costs_a_fixed_number_of_queries(auth_client, django_assert_max_num_queries):
    # The caller's row (bearer authentication); the mail's reads are the task's.
    with django_assert_max_num_queries(1):
        assert auth_client.post(RESEND).status_code == 202


def test_resend_refuses_a_verified_caller(auth_client, user):
    User.objects.filter(pk=user.pk).update(email_verified=True)

    response = sign_up(auth_client, {}, path=RESEND)

    assert response.status_code == 400
    assert response.json()["detail"] == ALREADY_VERIFIED
    assert mail.outbox == []


def test_resend_needs_a_token(api_client):
    response = api_client.post(RESEND)

    assert response.status_code == 401
    assert mail.outbox == []


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_resend_accepts_only_post(auth_client, method):
    assert getattr(auth_client, method)(RESEND).status_code == 405


@pytest.mark.parametrize("path", [REGISTER, RESEND])
def test_sign_up_and_resend_spend_the_auth_budget(auth_client, path):
    with with_rates(auth="2/min"):
        auth_client.post(TOKEN, {"email": "x@example.com", "password": "x"})
        auth_client.post(TOKEN, {"email": "x@example.com", "password": "x"})
        refused = sign_up(
            auth_client, {"email": "late@example.com", "password": STRONG_PASSWORD}, path=path
        )

    assert refused.status_code == 429
    assert mail.outbox == []
    assert not User.objects.filter(email="late@example.com").exists()


# --- the pages ------------------------------------------------------------------


def signup_form(email: str, **extra: str) -> dict[str, str]:
    return {"email": email, "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD, **extra}


def test_the_signup_page_answers_a_new_and_a_taken_address_alike(browser):
    UserFactory.create(email="taken@example.com")

    new = sign_up(browser, signup_form("new@example.com"), path=SIGNUP, follow=True)
    taken = sign_up(browser, signup_form("TAKEN@example.com"), path=SIGNUP, follow=True)

    assert new.redirect_chain == taken.redirect_chain == [("/accounts/signup/sent/", 302)]
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", new.content.decode()) == strip.sub("", taken.content.decode())
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["new@example.com"], VERIFY_SUBJECT),
        (["taken@example.com"], ATTEMPT_SUBJECT),
    ]
    assert len(re.findall(rf"{SITE}/accounts/verify/", html_part(mail.outbox[0]))) == 2
    assert User.objects.count() == 2


def test_the_page_mail_verifies_through_the_page(browser):
    sign_up(browser, signup_form("ada@example.com"), path=SIGNUP)
    (message,) = mail.outbox

    response = browser.post(f"/accounts/verify/{mailed_token(message)}/")

    assert response.status_code == 200
    assert User.objects.get().email_verified


def notice(page: str) -> bool:
    return 'action="/accounts/verify/resend/"' in page and "Please verify your address" in page


def test_unverified_people_see_the_notice_on_their_pages(signed_in, user):
    for path in ("/todos/", "/accounts/profile/"):
        page = signed_in.get(path).content.decode()
        assert notice(page), path
        assert f'<input type="hidden" name="next" value="{path}">' in page


def test_verified_and_signed_out_people_see_no_notice(signed_in, user, browser):
    assert not notice(browser.get("/accounts/login/").content.decode())
    User.objects.filter(pk=user.pk).update(email_verified=True)
    assert not notice(signed_in.get("/todos/").content.decode())


def test_the_notices_resend_mails_and_returns_to_the_page(signed_in, user):
    response = sign_up(signed_in, {"next": "/todos/?done=true"}, path=RESEND_PAGE, follow=True)

    assert response.redirect_chain == [("/todos/?done=true", 302)]
    assert f"A new verification mail is on its way to {user.email}." in response.content.decode()
    (message,) = mail.outbox
    assert (message.to, message.subject) == ([user.email], VERIFY_SUBJECT)


def test_the_notices_resend_ignores_a_next_that_leaves_the_site(signed_in):
    response = sign_up(signed_in, {"next": "https://evil.example/"}, path=RESEND_PAGE)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


def test_resend_on_the_page_for_a_verified_person_says_so(signed_in, user):
    User.objects.filter(pk=user.pk).update(email_verified=True)

    response = sign_up(signed_in, {}, path=RESEND_PAGE, follow=True)

    assert ALREADY_VERIFIED in response.content.decode()
    assert mail.outbox == []


def test_resend_on_the_page_needs_a_session_and_a_post(browser, signed_in):
    assert browser.post(RESEND_PAGE)["Location"].startswith("/accounts/login/")
    assert signed_in.get(RESEND_PAGE).status_code == 405
    assert mail.outbox == []


def test_resend_on_the_page_spends_the_auth_budget(signed_in):
    with with_rates(auth="1/min"):
        assert sign_up(signed_in, {}, path=RESEND_PAGE).status_code == 302
        assert sign_up(signed_in, {}, path=RESEND_PAGE).status_code == 429
    assert len(mail.outbox) == 1


def test_a_bad_link_offers_a_signed_in_unverified_person_a_new_one(signed_in, user):
    page = signed_in.get("/accounts/verify/garbage/").content.decode()

    assert 'action="/accounts/verify/resend/"' in page
    assert "Send a new link" in page


def test_the_resend_form_needs_its_csrf_token(user):
    client = Client(HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(RESEND_PAGE).status_code == 403
    assert mail.outbox == []


def test_a_verified_person_logs_in_as_before(browser):
    user = UserFactory.create(email_verified=True)

    response = browser.post(
        "/accounts/login/", {"username": user.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert not notice(browser.get("/todos/").content.decode())


def test_mail_parts_are_text_and_html(api_client):
    sign_up(api_client, {"email": "ada@example.com", "password": STRONG_PASSWORD})

    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert html_part(message).startswith("<!doctype html>")
