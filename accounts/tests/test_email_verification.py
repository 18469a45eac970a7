"""
Verifying an address: the token (signed, single use, three days), the API's
``verify-email``, the ``/accounts/verify/<token>/`` page, ``email_verified``
in ``me``, and who starts verified (superusers, demo accounts).
"""

import io
import json
import time

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client

from accounts import tokens
from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.test_throttling import with_rates
from accounts.tests.utils import AUTH, ME, STRONG_PASSWORD
from accounts.tokens import make_verification_token
from tests.clients import make_client

pytestmark = pytest.mark.django_db

VERIFY_EMAIL = f"{AUTH}verify-email/"
INVALID = (
    "The verification link is not valid: check that it was copied whole, or ask for a new one."
)
EXPIRED = "The verification link has expired (links last 3 days): ask for a new one."
USED = "The verification link was already used: the address is verified."


def page(token: str) -> str:
    return f"/accounts/verify/{token}/"


def made_seconds_ago(user: User, seconds: float, monkeypatch) -> str:
    """A token as it was made ``seconds`` ago: Django's signer reads the clock then."""
    now = time.time()
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: now - seconds)
        return make_verification_token(user)


def tampered(token: str) -> str:
    """The same token with one character of its payload changed."""
    payload, rest = token.split(":", 1)
    flipped = "A" if payload[-1] != "A" else "B"
    return f"{payload[:-1]}{flipped}:{rest}"


# --- the API ------------------------------------------------------------------


@pytest.mark.parametrize("path", [VERIFY_EMAIL, VERIFY_EMAIL.rstrip("/")])
def test_a_token_verifies_the_address_and_me_says_so(api_client, user, path):
    assert make_client(user).get(ME).json()["email_verified"] is False

    response = api_client.post(path, {"token": make_verification_token(user)})

    assert response.status_code == 204, response.content
    assert response.content == b""
    user.refresh_from_db()
    assert user.email_verified
    assert make_client(user).get(ME).json()["email_verified"] is True


def test_a_token_works_once(api_client, user):
    token = make_verification_token(user)
    assert api_client.post(VERIFY_EMAIL, {"token": token}).status_code == 204

    again = api_client.post(VERIFY_EMAIL, {"token": token})

    assert again.status_code == 400
    assert again.json() == {"token": [USED]}


def test_every_token_of_an_account_dies_once_one_is_used(api_client, user, monkeypatch):
    first, second = make_verification_token(user), made_seconds_ago(user, 60, monkeypatch)
    assert api_client.post(VERIFY_EMAIL, {"token": second}).status_code == 204

    assert api_client.post(VERIFY_EMAIL, {"token": first}).json() == {"token": [USED]}


def test_a_token_lasts_three_days(api_client, user, monkeypatch):
    token = made_seconds_ago(user, 3 * 24 * 3600 - 60, monkeypatch)

    assert api_client.post(VERIFY_EMAIL, {"token": token}).status_code == 204


def test_an_expired_token_is_refused(api_client, user, monkeypatch):
    token = made_seconds_ago(user, 3 * 24 * 3600 + 60, monkeypatch)

    response = api_client.post(VERIFY_EMAIL, {"token": token})

    assert response.status_code == 400
    assert response.json() == {"token": [EXPIRED]}
    user.refresh_from_db()
    assert not user.email_verified


def test_a_tampered_token_is_refused(api_client, user):
    response = api_client.post(VERIFY_EMAIL, {"token": tampered(make_verification_token(user))})

    assert response.status_code == 400
    assert response.json() == {"token": [INVALID]}
    user.refresh_from_db()
    assert not user.email_verified


def test_a_token_for_another_account_cannot_be_made_from_ones_own(api_client, user, other_user):
    """The id is readable in the payload, but changing it breaks the signature."""
    payload, signature = make_verification_token(user).split(":", 1)
    user_id, state = json.loads(signing.b64_decode(payload.encode()))
    assert user_id == user.pk
    other_payload = signing.b64_encode(json.dumps([other_user.pk, state]).encode()).decode()

    response = api_client.post(VERIFY_EMAIL, {"token": f"{other_payload}:{signature}"})

    assert response.json() == {"token": [INVALID]}
    other_user.refresh_from_db()
    assert not other_user.email_verified


def test_a_token_signed_with_another_key_is_refused(api_client, user, settings):
    settings.SECRET_KEY = "an-entirely-different-signing-key-that-the-server-has-never-seen-0123"
    token = make_verification_token(user)
    settings.SECRET_KEY = settings.SECRET_KEY.replace("0123", "4567")

    assert api_client.post(VERIFY_EMAIL, {"token": token}).json() == {"token": [INVALID]}


def test_a_token_mailed_for_an_older_address_is_refused(api_client, user):
    token = make_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="renamed@example.com")

    assert api_client.post(VERIFY_EMAIL, {"token": token}).json() == {"token": [INVALID]}


@pytest.mark.parametrize("state", ["deleted", "inactive"])
def test_a_token_of_a_gone_or_inactive_account_is_refused(api_client, user, state):
    token = make_verification_token(user)
    if state == "deleted":
        user.delete()
    else:
        User.objects.filter(pk=user.pk).update(is_active=False)

    assert api_client.post(VERIFY_EMAIL, {"token": token}).json() == {"token": [INVALID]}


def test_the_token_does_not_show_the_address(user):
    token = make_verification_token(user)
    payload = signing.b64_decode(token.split(":")[0].encode()).decode()
    assert payload.startswith(f"[{user.pk},")

    assert user.email not in token
    assert user.email not in payload
    assert signing.loads(token, salt=tokens.SALT)[0] == user.pk


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"token": ["This field is required."]}),
        ({"token": ""}, {"token": ["This field may not be blank."]}),
        ({"token": 12}, {"token": ["Must be a string."]}),
        ({"token": ["a"]}, {"token": ["Must be a string."]}),
        ({"token": "x" * 257}, {"token": ["Ensure this field has no more than 256 characters."]}),
        ({"token": "garbage"}, {"token": [INVALID]}),
        ({"token": "a:b:c"}, {"token": [INVALID]}),
        ({"token": "\u00e9:\u00e9"}, {"token": [INVALID]}),
    ],
)
def test_bad_input_is_a_400_on_token(api_client, body, errors):
    response = api_client.post(VERIFY_EMAIL, body)

    assert response.status_code == 400
    assert response.json() == errors


def test_a_signed_payload_of_the_wrong_shape_is_refused(api_client, user):
    for payload in ({"user": user.pk}, [str(user.pk), "x"], [user.pk], "text"):
        token = signing.dumps(payload, salt=tokens.SALT)
        assert api_client.post(VERIFY_EMAIL, {"token": token}).json() == {"token": [INVALID]}


def test_verifying_needs_no_sign_in_and_ignores_a_bearer_token(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer garbage")

    response = api_client.post(VERIFY_EMAIL, {"token": make_verification_token(user)})

    assert response.status_code == 204


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_verify_email_accepts_only_post(api_client, method):
    assert getattr(api_client, method)(VERIFY_EMAIL).status_code == 405


def test_verifying_costs_a_fixed_number_of_queries(api_client, user, django_assert_max_num_queries):
    token = make_verification_token(user)
    # The locked read and the update, in a transaction.
    with django_assert_max_num_queries(4):
        assert api_client.post(VERIFY_EMAIL, {"token": token}).status_code == 204


def test_me_cannot_set_email_verified(auth_client, user):
    response = auth_client.patch(ME, {"email_verified": True})

    assert response.status_code == 200
    assert response.json()["email_verified"] is False
    user.refresh_from_db()
    assert not user.email_verified


# --- the page -----------------------------------------------------------------


def test_opening_the_link_asks_to_confirm_and_changes_nothing(browser, user):
    response = browser.get(page(make_verification_token(user)))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Verify my address" in text
    assert '<form method="post"' in text
    user.refresh_from_db()
    assert not user.email_verified


def test_pressing_the_button_verifies_signed_out(browser, user):
    token = make_verification_token(user)

    response = browser.post(page(token))

    assert response.status_code == 200
    text = response.content.decode()
    assert f"Your address <strong>{user.email}</strong> is verified." in text
    assert 'href="/accounts/login/"' in text
    user.refresh_from_db()
    assert user.email_verified


def test_pressing_the_button_verifies_signed_in(signed_in, user):
    response = signed_in.post(page(make_verification_token(user)))

    assert response.status_code == 200
    assert 'href="/todos/"' in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_says_what_to_do_next_signed_out(browser, user, method, monkeypatch):
    token = made_seconds_ago(user, 4 * 24 * 3600, monkeypatch)

    response = getattr(browser, method)(page(token))

    assert response.status_code == 400
    text = response.content.decode()
    assert EXPIRED in text
    assert '<a href="/accounts/login/">Log in</a> to ask for a new link.' in text
    user.refresh_from_db()
    assert not user.email_verified


def test_a_used_link_tells_a_verified_person_there_is_nothing_to_do(signed_in, user):
    token = make_verification_token(user)
    assert signed_in.post(page(token)).status_code == 200

    response = signed_in.get(page(token))

    assert response.status_code == 400
    text = response.content.decode()
    assert USED in text
    assert "there is nothing more to do" in text


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "%E2%80%AE", "x" * 300])
def test_a_malformed_link_is_a_400_page(browser, token):
    response = browser.get(page(token))

    assert response.status_code == 400
    assert INVALID in response.content.decode()


def test_the_page_form_needs_its_csrf_token(user):
    browser = Client(HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=True)

    response = browser.post(page(make_verification_token(user)))

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.email_verified


# --- who starts verified ------------------------------------------------------


def test_a_new_account_starts_unverified():
    assert not UserFactory.create().email_verified
    assert not User.objects.create_user(email="plain@example.com").email_verified


def test_createsuperuser_makes_a_verified_account(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG_PASSWORD)

    call_command("createsuperuser", interactive=False, verbosity=0)

    assert User.objects.get(email="admin@example.com").email_verified


def test_seed_demo_makes_verified_accounts():
    call_command(
        "seed_demo", users=2, todos=1, yes=True, stdout=io.StringIO(), stderr=io.StringIO()
    )

    assert set(User.objects.values_list("email", "email_verified")) == {
        ("demo1@example.com", True),
        ("demo2@example.com", True),
    }


# --- the auth budget ----------------------------------------------------------


def test_verifying_spends_the_auth_budget(api_client, user):
    with with_rates(auth="2/min"):
        spent = [api_client.post(VERIFY_EMAIL, {"token": "guess"}).status_code for _ in range(2)]
        refused = api_client.post(VERIFY_EMAIL, {"token": make_verification_token(user)})

    assert spent == [400, 400]
    assert refused.status_code == 429
    user.refresh_from_db()
    assert not user.email_verified


def test_the_page_button_spends_the_auth_budget_and_opening_the_link_does_not(browser, user):
    token = make_verification_token(user)
    with with_rates(auth="2/min"):
        spent = [browser.post(page("guess")).status_code for _ in range(2)]
        opened = browser.get(page(token))
        refused = browser.post(page(token))

    assert spent == [400, 400]
    assert opened.status_code == 200
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    user.refresh_from_db()
    assert not user.email_verified
