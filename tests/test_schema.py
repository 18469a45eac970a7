"""
The OpenAPI schema says exactly what the server does: what it always sends is
required, what it refuses the schema refuses (and the other way round), and
every header and error body it sends is described.
"""

import re
import sys

import pytest
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from core.api.fields import EMAIL_PATTERN, NO_NUL_PATTERN, NOT_BLANK_PATTERN, WHITESPACE
from todos.tests.factories import TodoFactory

REGISTER = "/api/v1/auth/register/"
PASSWORD_RESET = "/api/v1/auth/password/reset/"
LIST_URL = "/api/v1/todos/"
METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client(HTTP_X_FORWARDED_PROTO="https").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]


def matches(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None


# --- What the server always sends is required ---------------------------------


@pytest.mark.parametrize("name", ["Todo", "User", "RegisterAccepted", "TokenPair", "Error"])
def test_every_field_of_a_response_body_is_required(schema, name):
    body = component(schema, name)
    assert sorted(body["required"]) == sorted(body["properties"])


def test_todo_fields_are_required_and_only_the_dates_that_can_be_empty_are_nullable(schema):
    todo = component(schema, "Todo")
    assert {"description", "done", "due_date"} <= set(todo["required"])
    nullable = {name for name, field in todo["properties"].items() if field.get("nullable")}
    assert nullable == {"due_date", "completed_at"}


@pytest.mark.django_db
def test_a_todo_as_sent_has_exactly_the_documented_fields(schema, auth_client, user):
    todo = TodoFactory.create(owner=user, description="", due_date=None)
    body = auth_client.get(f"{LIST_URL}{todo.id}/").json()
    assert set(body) == set(component(schema, "Todo")["required"])
    assert body["description"] == ""
    assert body["due_date"] is None


@pytest.mark.django_db
def test_a_sign_up_answer_has_exactly_the_documented_fields(schema, api_client):
    response = api_client.post(REGISTER, {"email": "ada@example.com", "password": "x-Q7!vLm2#pR"})
    assert response.status_code == 202
    assert set(response.json()) == set(component(schema, "RegisterAccepted")["required"])
    assert response.json()["email"] == "ada@example.com"


# --- The todo id is an integer ------------------------------------------------


def test_the_todo_id_in_the_path_is_an_integer(schema):
    detail = schema["paths"]["/api/v1/todos/{id}/"]
    for method in detail.keys() & METHODS:
        (parameter,) = [p for p in detail[method]["parameters"] if p["in"] == "path"]
        assert parameter["name"] == "id"
        assert parameter["schema"] == {"type": "integer"}


# --- Who may call -------------------------------------------------------------

ANONYMOUS = {
    "/api/v1/auth/register/",
    "/api/v1/auth/token/",
    "/api/v1/auth/token/refresh/",
    "/api/v1/auth/token/verify/",
    "/api/v1/auth/password/reset/",
    "/api/v1/auth/password/reset/confirm/",
    "/api/v1/auth/verify-email/",
}


def test_an_operation_needs_a_token_or_states_no_security_requirement(schema):
    """No `[{}]`: a generated client would then want a token for registering."""
    anonymous = set()
    for path, _, operation in operations(schema):
        if "security" in operation:
            assert operation["security"] == [{"jwtAuth": []}], path
        else:
            anonymous.add(path)
    assert anonymous == ANONYMOUS
    assert "security" not in schema


@pytest.mark.django_db
def test_the_operations_without_a_security_requirement_need_no_token(api_client):
    answers = {path: api_client.post(path, {}) for path in ANONYMOUS}
    assert {path: response.status_code for path, response in answers.items()} == dict.fromkeys(
        ANONYMOUS, 400
    )


# --- Headers ------------------------------------------------------------------


def test_etag_and_idempotent_replayed_are_documented_where_sent(schema):
    todos = schema["paths"]["/api/v1/todos/"]
    detail = schema["paths"]["/api/v1/todos/{id}/"]
    created = todos["post"]["responses"]["201"]["headers"]
    assert created["ETag"]["required"] is True
    assert created["Idempotent-Replayed"]["schema"] == {"type": "string", "enum": ["true"]}
    for method, status in [("get", "200"), ("get", "304"), ("put", "200"), ("patch", "200")]:
        assert detail[method]["responses"][status]["headers"]["ETag"]["required"] is True


@pytest.mark.django_db
def test_a_replayed_create_sends_the_documented_header(auth_client):
    first = auth_client.post(LIST_URL, {"title": "once"}, HTTP_IDEMPOTENCY_KEY="k-1")
    again = auth_client.post(LIST_URL, {"title": "once"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert not first.has_header("Idempotent-Replayed")
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"]


# --- One 401 body -------------------------------------------------------------


def test_every_401_is_documented_with_the_one_body(schema):
    documented = [
        operation["responses"]["401"]["content"]["application/json"]["schema"]
        for _, _, operation in operations(schema)
        if "401" in operation["responses"]
    ]
    assert len(documented) >= 10
    assert all(body == {"$ref": "#/components/schemas/AuthenticationError"} for body in documented)
    error = component(schema, "AuthenticationError")
    assert set(error["properties"]) == {"detail", "code"}
    assert error["required"] == ["code", "detail"]


def assert_is_the_documented_401(response) -> dict:
    assert response.status_code == 401
    body = response.json()
    assert set(body) in ({"detail"}, {"detail", "code"}), body
    assert all(isinstance(value, str) for value in body.values())
    return body


@pytest.mark.django_db
def test_every_kind_of_401_has_the_documented_body(api_client, user):
    expired = AccessToken.for_user(user)
    expired.set_exp(lifetime=-expired.lifetime)
    answers = {
        "no token": api_client.get(LIST_URL),
        "garbage token": api_client.get(LIST_URL, HTTP_AUTHORIZATION="Bearer not-a-token"),
        "expired token": api_client.get(LIST_URL, HTTP_AUTHORIZATION=f"Bearer {expired}"),
        "wrong credentials": api_client.post(
            "/api/v1/auth/token/", {"email": user.email, "password": "wrong-password"}
        ),
        "bad refresh": api_client.post("/api/v1/auth/token/refresh/", {"refresh": "x.y.z"}),
        "bad verify": api_client.post("/api/v1/auth/token/verify/", {"token": "x.y.z"}),
    }
    bodies = {name: assert_is_the_documented_401(response) for name, response in answers.items()}
    # simplejwt's own shape (with `messages`) never leaks out.
    for name in ("garbage token", "expired token", "bad refresh", "bad verify"):
        assert bodies[name]["code"] == "token_not_valid", name
    assert bodies["no token"]["code"] == "not_authenticated"


# --- What the server refuses, the schema refuses ------------------------------


def test_whitespace_is_exactly_what_str_strip_removes():
    spelled = re.compile(f"[{WHITESPACE}]")
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        assert bool(spelled.fullmatch(character)) == character.isspace(), hex(code)


def request_string_fields(schema: dict):
    for name, body in schema["components"]["schemas"].items():
        if name.endswith("Request"):
            for field_name, field in body["properties"].items():
                if field.get("type") == "string" and field.get("format") != "date":
                    yield name, field_name, field


def test_every_string_in_a_request_refuses_nul(schema):
    fields = list(request_string_fields(schema))
    assert len(fields) >= 15
    for name, field_name, field in fields:
        pattern = field.get("pattern")
        assert pattern is not None, (name, field_name)
        assert not matches(pattern, "a\x00b"), (name, field_name)


def test_the_free_text_query_parameters_refuse_nul(schema):
    (search,) = [p for p in schema["paths"][LIST_URL]["get"]["parameters"] if p["name"] == "search"]
    assert search["schema"]["pattern"] == NO_NUL_PATTERN


@pytest.mark.parametrize(
    ("component_name", "field"),
    [
        ("TodoRequest", "title"),
        ("RegisterRequest", "email"),
        ("PasswordResetRequest", "email"),
        ("LogoutRequest", "refresh"),
        ("TokenRefreshRequest", "refresh"),
        ("TokenVerifyRequest", "token"),
        ("TokenObtainPairRequest", "email"),
    ],
)
def test_the_fields_the_server_refuses_nul_in_declare_it(schema, component_name, field):
    pattern = component(schema, component_name)["properties"][field]["pattern"]
    assert not matches(pattern, "ada\x00@example.com")


@pytest.mark.django_db
def test_the_server_refuses_nul_in_title_and_search(auth_client):
    assert auth_client.post(LIST_URL, {"title": "a\x00b"}).status_code == 400
    assert auth_client.get(LIST_URL, {"search": "a\x00b"}).status_code == 400


BLANKS = [*(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()), "  \t\n"]
NOT_BLANKS = ["\ufeff", "\u200b", "\x1b", "x", " x ", "\u00a0y"]


@pytest.mark.django_db
@pytest.mark.parametrize("title", BLANKS + NOT_BLANKS)
def test_a_blank_title_is_blank_to_the_schema_and_to_the_server(auth_client, title):
    accepted = auth_client.post(LIST_URL, {"title": title}).status_code == 201
    assert accepted == matches(NOT_BLANK_PATTERN, title), repr(title)
    assert accepted == (title in NOT_BLANKS)


EMAILS = {
    # Accepted by both.
    "ada@example.com": True,
    "Ada.Lovelace+todo@Example.CO.uk": True,
    "o'brien@mail-1.example.org": True,
    "  ada@example.com\t": True,
    "a@b.co": True,
    # Refused by both (several are accepted by JSON Schema's `email` format).
    "0@0.a": False,
    "ada@example.c0m": False,
    "ada@localhost": False,
    "ada@-example.com": False,
    "ada@example-.com": False,
    '"ada lovelace"@example.com': False,
    "ada@[127.0.0.1]": False,
    "ada@exämple.com": False,
    "ädä@example.com": False,
    "ada..l@example.com": False,
    ".ada@example.com": False,
    "ada@example.com.": False,
    "ada@@example.com": False,
    "ada\x00@example.com": False,
    "ada @example.com": False,
    "": False,
}


def test_the_email_fields_state_the_email_rule(schema):
    for name in ("RegisterRequest", "PasswordResetRequest"):
        email = component(schema, name)["properties"]["email"]
        assert email["pattern"] == EMAIL_PATTERN
        assert email["maxLength"] == 254


@pytest.mark.django_db
@pytest.mark.parametrize(("email", "valid"), EMAILS.items())
def test_an_email_is_valid_to_the_schema_exactly_when_it_is_to_the_server(api_client, email, valid):
    assert matches(EMAIL_PATTERN, email) is valid
    reset = api_client.post(PASSWORD_RESET, {"email": email})
    assert reset.status_code == (202 if valid else 400), reset.content
    register = api_client.post(REGISTER, {"email": email, "password": "x-Q7!vLm2#pR"})
    assert register.status_code == (202 if valid else 400), register.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        # Over RFC 5321's 64 characters before the @, and a label reserved by IDNA.
        "l" * 65 + "@example.com",
        "ada@ab--cd.example.com",
    ],
)
def test_no_email_is_documented_as_json_schemas_email_format(schema, api_client, email):
    """The server takes and sends back addresses that the format refuses."""
    registered = api_client.post(REGISTER, {"email": email, "password": "x-Q7!vLm2#pR"})
    assert registered.status_code == 202, registered.content
    token = api_client.post("/api/v1/auth/token/", {"email": email, "password": "x-Q7!vLm2#pR"})
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
    me = api_client.get("/api/v1/auth/me/")
    assert registered.json()["email"] == me.json()["email"] == email

    for name in ("RegisterAccepted", "User", "RegisterRequest", "PasswordResetRequest"):
        documented = component(schema, name)["properties"]["email"]
        assert "format" not in documented, name
        assert matches(documented.get("pattern", ""), email), name


PASSWORD = "x-Q7!vLm2#pR"
LONG_EMAIL = "a" * (254 - len("@example.com")) + "@example.com"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field", "limit"),
    [
        (
            REGISTER,
            {"email": "ada@example.com", "password": PASSWORD, "name": "n" * 150},
            "name",
            150,
        ),
        (REGISTER, {"email": LONG_EMAIL, "password": PASSWORD}, "email", 254),
        (PASSWORD_RESET, {"email": LONG_EMAIL}, "email", 254),
        (LIST_URL, {"title": "t" * 200}, "title", 200),
        (
            "/api/v1/auth/password/reset/confirm/",
            {"uid": "u" * 64, "token": "t", "new_password": PASSWORD},
            "uid",
            64,
        ),
    ],
)
def test_lengths_are_counted_as_sent_like_the_schema_does(
    schema, auth_client, path, body, field, limit
):
    """A value of the full length plus a space is too long, though it trims to fit."""
    operation = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    name = operation["schema"]["$ref"].rsplit("/", 1)[1]
    assert component(schema, name)["properties"][field]["maxLength"] == limit
    assert len(body[field]) == limit

    response = auth_client.post(path, {**body, field: body[field] + " "})

    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.django_db
def test_a_name_of_the_full_length_is_accepted_and_padding_it_is_not(auth_client):
    me = "/api/v1/auth/me/"
    assert auth_client.patch(me, {"name": "n" * 150}).status_code == 200
    response = auth_client.patch(me, {"name": "n" * 150 + " "})
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.django_db
def test_the_login_email_is_checked_as_sent_too(api_client):
    user = UserFactory.create()
    padded = user.email.ljust(255)
    response = api_client.post(
        "/api/v1/auth/token/", {"email": padded, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert "email" in response.json()
