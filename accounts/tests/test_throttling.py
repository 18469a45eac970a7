"""The shared per-IP ``auth`` budget over every endpoint that checks or resets a password."""

import pytest
from django.conf import settings
from django.test import override_settings

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tests.utils import (
    ME,
    PASSWORD_CHANGE,
    PASSWORD_RESET,
    PASSWORD_RESET_CONFIRM,
    REFRESH,
    REGISTER,
    STRONG_PASSWORD,
    TOKEN,
)
from tests.clients import make_client

pytestmark = pytest.mark.django_db


def with_rates(**rates: str) -> override_settings:
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }
    )


def spend_auth_budget(anonymous, signed_in) -> list[int]:
    """
    Ten requests, two to each of the five endpoints in the ``auth`` scope.

    Each is refused before any password is hashed, so spending the budget is
    cheap; the throttle counts requests, not successes.
    """
    calls = [
        lambda: anonymous.post(REGISTER, {"email": "bad"}),
        lambda: anonymous.post(TOKEN, {"email": "a@example.com"}),
        lambda: anonymous.post(PASSWORD_RESET, {"email": "nobody@example.com"}),
        lambda: anonymous.post(PASSWORD_RESET_CONFIRM, {}),
        lambda: signed_in.post(PASSWORD_CHANGE, {}),
    ]
    return [call().status_code for call in calls * 2]


def assert_throttled(response) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_eleventh_request_across_the_auth_endpoints_is_429(api_client, auth_client, user):
    """Successes and failures alike spend the one budget, whatever the endpoint."""
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"] == "10/min"
    calls = [
        lambda: api_client.post(
            REGISTER, {"email": "new@example.com", "password": STRONG_PASSWORD}
        ),
        lambda: api_client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD}),
        lambda: api_client.post(PASSWORD_RESET, {"email": user.email}),
        lambda: api_client.post(PASSWORD_RESET_CONFIRM, {"uid": "x", "token": "y"}),
        lambda: auth_client.post(PASSWORD_CHANGE, {"old_password": "wrong-wrong-wrong"}),
        lambda: api_client.post(REGISTER, {"email": "bad"}),
        lambda: api_client.post(TOKEN, {"email": user.email}),
        lambda: api_client.post(PASSWORD_RESET, {"email": "nobody@example.com"}),
        lambda: api_client.post(PASSWORD_RESET_CONFIRM, {}),
        lambda: auth_client.post(PASSWORD_CHANGE, {}),
    ]

    statuses = [call().status_code for call in calls]

    assert statuses == [202, 200, 202, 400, 400, 400, 400, 202, 400, 400]
    assert_throttled(api_client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD}))


def test_the_cheap_budget_spend_is_all_answered(api_client, auth_client):
    """Guards the helper the tests below rely on: ten answers, none of them a 429."""
    assert spend_auth_budget(api_client, auth_client) == [400, 400, 202, 400, 400] * 2


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (REGISTER, {"email": "late@example.com", "password": STRONG_PASSWORD}),
        (TOKEN, {"email": "x@example.com", "password": "x"}),
        (PASSWORD_RESET, {"email": "x@example.com"}),
        (PASSWORD_RESET_CONFIRM, {}),
    ],
)
def test_every_anonymous_auth_endpoint_is_throttled_once_spent(api_client, auth_client, path, body):
    spend_auth_budget(api_client, auth_client)

    assert_throttled(api_client.post(path, body))


def test_password_change_is_throttled_once_spent(api_client, auth_client, user):
    spend_auth_budget(api_client, auth_client)

    response = auth_client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": STRONG_PASSWORD}
    )

    assert_throttled(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_throttled_register_creates_no_account(api_client, auth_client):
    spend_auth_budget(api_client, auth_client)

    api_client.post(REGISTER, {"email": "late@example.com", "password": STRONG_PASSWORD})

    assert not User.objects.filter(email="late@example.com").exists()


def test_endpoints_outside_the_scope_still_answer(api_client, auth_client):
    spend_auth_budget(api_client, auth_client)

    assert auth_client.get(ME).status_code == 200
    assert api_client.post(REFRESH, {"refresh": "garbage"}).status_code == 401


def test_another_client_ip_has_its_own_budget(api_client, auth_client):
    spend_auth_budget(api_client, auth_client)
    assert_throttled(api_client.post(PASSWORD_RESET, {"email": "a@example.com"}))

    response = api_client.post(PASSWORD_RESET, {"email": "a@example.com"}, REMOTE_ADDR="127.0.0.2")

    assert response.status_code == 202


@pytest.mark.parametrize("forwarded", ["127.0.0.9", "127.0.0.9, 127.0.0.8", "garbage"])
def test_a_forged_x_forwarded_for_buys_no_fresh_budget(api_client, auth_client, forwarded):
    spend_auth_budget(api_client, auth_client)

    response = api_client.post(
        PASSWORD_RESET, {"email": "a@example.com"}, HTTP_X_FORWARDED_FOR=forwarded
    )

    assert_throttled(response)


def test_rates_are_read_live_from_the_settings(api_client):
    body = {"email": "nobody@example.com"}

    with with_rates(auth="3/min"):
        statuses = [api_client.post(PASSWORD_RESET, body).status_code for _ in range(4)]

    assert statuses == [202, 202, 202, 429]


def test_a_rate_change_applies_to_counts_already_made(api_client):
    body = {"email": "nobody@example.com"}
    assert [api_client.post(PASSWORD_RESET, body).status_code for _ in range(4)] == [202] * 4

    with with_rates(auth="4/min"):
        assert_throttled(api_client.post(PASSWORD_RESET, body))

    assert api_client.post(PASSWORD_RESET, body).status_code == 202


def test_the_auth_budget_is_per_ip_not_per_user(user, other_user):
    """Two accounts signing in from one address share one budget."""
    client = make_client()
    with with_rates(auth="2/min"):
        first = client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})
        second = client.post(TOKEN, {"email": other_user.email, "password": DEFAULT_PASSWORD})
        third = client.post(TOKEN, {"email": other_user.email, "password": DEFAULT_PASSWORD})

    assert (first.status_code, second.status_code) == (200, 200)
    assert_throttled(third)
