"""The general throttles: per signed-in user and per anonymous IP."""

import pytest
from django.conf import settings
from django.test import override_settings


def rates(**overrides: str):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **overrides,
            },
        }
    )


@pytest.mark.django_db
def test_a_user_over_the_user_rate_gets_429_others_do_not(auth_client, other_client):
    with rates(user="3/min"):
        statuses = [auth_client.get("/api/v1/todos/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        throttled = auth_client.get("/api/v1/todos/")
        assert int(throttled["Retry-After"]) > 0
        assert "detail" in throttled.json()
        assert other_client.get("/api/v1/todos/").status_code == 200


@pytest.mark.django_db
def test_anonymous_callers_are_throttled_per_ip(api_client):
    # Protected endpoints refuse anonymous callers (401) before any throttle;
    # the anonymous rate guards the public ones.
    url = "/api/v1/auth/token/verify/"
    with rates(anon="2/min"):
        statuses = [api_client.post(url, {"token": "x"}).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]
        elsewhere = api_client.post(url, {"token": "x"}, REMOTE_ADDR="10.9.8.7")
        assert elsewhere.status_code == 401
