"""Request ids: a sane X-Request-ID is echoed, anything else replaced by a fresh one."""

import re

import pytest

MISSING_PAGE = "/api/v1/no-such-endpoint/"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.mark.django_db
def test_a_sane_request_id_is_echoed(api_client):
    sane = "req-" + "x" * 124  # 128 visible ASCII characters
    response = api_client.get(MISSING_PAGE, HTTP_X_REQUEST_ID=sane)
    assert response["X-Request-ID"] == sane


@pytest.mark.django_db
def test_a_request_id_is_generated_when_absent(api_client):
    first = api_client.get(MISSING_PAGE)["X-Request-ID"]
    second = api_client.get(MISSING_PAGE)["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first)
    assert GENERATED_ID.fullmatch(second)
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "insane",
    ["", "x" * 129, "two words", "tab\there", "caf\xe9", "line\nbreak"],
    ids=["empty", "too-long", "space", "tab", "non-ascii", "newline"],
)
def test_an_insane_request_id_is_replaced(api_client, insane):
    response = api_client.get(MISSING_PAGE, HTTP_X_REQUEST_ID=insane)
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_health_gets_a_request_id_too(api_client, db):
    response = api_client.get("/health", HTTP_X_REQUEST_ID="probe-1")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "probe-1"
