"""Every ``{"detail": ...}`` error under /api/ carries the ``code`` its status documents."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

from accounts.tests.factories import UserFactory
from core.api.schema import ERROR_CODES
from tests.clients import make_client

pytestmark = pytest.mark.django_db

TODOS = "/api/v1/todos/"


def create_todo(client) -> str:
    response = client.post(TODOS, {"title": "A"}, format="json")
    assert response.status_code == 201
    return f"{TODOS}{response.json()['id']}/"


def no_token(client, path):
    return make_client().get(TODOS)


def a_forged_token(client, path):
    anonymous = make_client()
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    return anonymous.get(TODOS)


def wrong_password(client, path):
    return make_client().post("/api/v1/auth/token/", {"email": "a@example.com", "password": "x"})


def someone_elses_todo(client, path):
    return make_client(UserFactory.create()).get(path)


def an_unknown_api_path(client, path):
    return client.get("/api/v1/nothing-here/")


def a_method_not_allowed(client, path):
    return client.put(TODOS, {}, format="json")


def an_accept_without_json(client, path):
    return client.get(TODOS, HTTP_ACCEPT="text/html")


def a_body_not_in_json(client, path):
    return client.post(TODOS, "title=A", content_type="application/x-www-form-urlencoded")


def json_that_does_not_parse(client, path):
    return client.post(TODOS, "{", content_type="application/json")


def a_stale_if_match(client, path):
    return client.patch(path, {"title": "B"}, format="json", HTTP_IF_MATCH='"stale"')


def a_body_over_the_limit(client, path):
    body = json.dumps({"title": "big", "description": "x" * (1024 * 1024)})
    return client.post(TODOS, body, content_type="application/json")


def a_key_reused_with_another_body(client, path):
    client.post(TODOS, {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    return client.post(TODOS, {"title": "B"}, format="json", HTTP_IDEMPOTENCY_KEY="k")


def one_request_too_many(client, path):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "1/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        client.get(TODOS)
        return client.get(TODOS)


CASES = {
    no_token: (401, "not_authenticated"),
    a_forged_token: (401, "token_not_valid"),
    wrong_password: (401, "no_active_account"),
    someone_elses_todo: (404, "not_found"),
    an_unknown_api_path: (404, "not_found"),
    a_method_not_allowed: (405, "method_not_allowed"),
    an_accept_without_json: (406, "not_acceptable"),
    a_body_not_in_json: (415, "unsupported_media_type"),
    json_that_does_not_parse: (400, "parse_error"),
    a_stale_if_match: (412, "precondition_failed"),
    a_body_over_the_limit: (413, "request_too_large"),
    a_key_reused_with_another_body: (422, "idempotency_key_reused"),
    one_request_too_many: (429, "throttled"),
}


@pytest.mark.parametrize("send", CASES, ids=[send.__name__ for send in CASES])
def test_an_error_with_one_message_carries_its_documented_code(auth_client, send):
    path = create_todo(auth_client)
    status, code = CASES[send]

    response = send(auth_client, path)

    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code"}, body
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["code"] == code
    assert code in ERROR_CODES[status]


def test_field_errors_keep_drfs_shape_with_no_code(auth_client):
    response = auth_client.post(TODOS, {"title": ""}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert "code" not in body
    assert all(isinstance(messages, list) for messages in body.values()), body


def test_every_documented_error_status_lists_its_codes():
    schema = Client(HTTP_X_FORWARDED_PROTO="https").get("/api/schema/", {"format": "json"}).json()
    documented = 0
    for item in schema["paths"].values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) >= 400:
                    documented += 1
                    for code in ERROR_CODES[int(status)]:
                        assert f"`{code}`" in response["description"], (status, response)
    assert documented > 50
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "detail"]
    assert error["properties"]["code"]["type"] == "string"
