"""
The API's endpoints skip the pages' middleware (sessions, sign-in, messages,
htmx) and get the Content-Security-Policy built once; their answers are what
Django's and django-csp's own middleware gave, headers and ``Vary`` included,
and the pages, the admin and the API's docs keep all of it.
"""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tests.factories import UserFactory
from tests.clients import make_client
from todos.tests.factories import TodoFactory

#: Ours -> the middleware they stand for, as MIDDLEWARE listed them before.
STOCK = {
    "core.middleware.ContentSecurityPolicyMiddleware": "csp.middleware.CSPMiddleware",
    "core.middleware.PageSessionMiddleware": "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PageAuthenticationMiddleware": (
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    ),
    "core.middleware.PageMessageMiddleware": "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.PageHtmxMiddleware": "django_htmx.middleware.HtmxMiddleware",
}
STOCK_MIDDLEWARE = [STOCK.get(name, name) for name in settings.MIDDLEWARE]
#: Differs on every request whatever the middleware.
PER_REQUEST = {"X-Request-ID"}


def test_every_replaced_middleware_is_in_the_stack():
    assert set(STOCK) <= set(settings.MIDDLEWARE)


def answers(request: Callable[[], object]) -> tuple[dict, dict]:
    """
    The same request through our middleware and through the stock one; each
    must make its own client (a client's handler keeps the middleware it
    loaded first).
    """
    ours = request()
    with override_settings(MIDDLEWARE=STOCK_MIDDLEWARE):
        stock = request()
    return described(ours), described(stock)


def described(response: object) -> dict:
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}  # type: ignore[attr-defined]
    return {
        "status": response.status_code,  # type: ignore[attr-defined]
        "headers": headers,
        "cookies": sorted(response.cookies),  # type: ignore[attr-defined]
        "body": response.content,  # type: ignore[attr-defined]
    }


def browser_and_bearer(user: User) -> APIClient:
    """A client with a page session *and* a bearer token: a signed-in browser using the API."""
    client = APIClient(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    client.cookies["csrftoken"] = "x" * 32
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["list", "detail", "not modified", "another's", "bad input", "no token", "preflight", "origin"],
)
def test_an_api_answer_is_what_the_stock_middleware_gave(name, user):
    TodoFactory.create_batch(3, owner=user)
    todo = TodoFactory.create(owner=user)
    other = TodoFactory.create(owner=UserFactory.create())
    detail = f"/api/v1/todos/{todo.pk}/"
    etag = make_client(user).get(detail)["ETag"]
    origin = "https://app.example.com"
    requests: dict[str, Callable[[], object]] = {
        "list": lambda: make_client(user).get("/api/v1/todos/?page_size=2"),
        "detail": lambda: make_client(user).get(detail),
        "not modified": lambda: make_client(user).get(detail, HTTP_IF_NONE_MATCH=etag),
        "another's": lambda: make_client(user).get(f"/api/v1/todos/{other.pk}/"),
        "bad input": lambda: make_client(user).post("/api/v1/todos/", {"title": ""}, format="json"),
        "no token": lambda: make_client().get("/api/v1/todos/"),
        "preflight": lambda: make_client().options(
            "/api/v1/todos/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", HTTP_ORIGIN=origin
        ),
        "origin": lambda: make_client(user).get(detail, HTTP_ORIGIN=origin),
    }
    with override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"]):
        ours, stock = answers(requests[name])
    assert ours == stock
    assert "Content-Security-Policy" in ours["headers"]


@pytest.mark.django_db
def test_a_browser_with_a_session_gets_the_same_api_answers(user):
    TodoFactory.create_batch(3, owner=user)
    for request in (
        lambda: browser_and_bearer(user).get("/api/v1/todos/"),
        lambda: browser_and_bearer(user).get("/api/v1/auth/me/"),
        lambda: browser_and_bearer(user).post("/api/v1/todos/", {"title": ""}, format="json"),
    ):
        ours, stock = answers(request)
        assert ours == stock
        assert "Cookie" not in ours["headers"].get("Vary", "")


@pytest.mark.django_db
def test_a_create_answers_with_the_same_headers(user):
    def create() -> object:
        return make_client(user).post("/api/v1/todos/", {"title": "same"}, format="json")

    ours, stock = answers(create)
    dynamic = {"ETag", "Location", "Content-Length"}  # a new todo each time
    assert ours["status"] == stock["status"] == 201
    assert ours["headers"].keys() == stock["headers"].keys()
    assert {k: v for k, v in ours["headers"].items() if k not in dynamic} == {
        k: v for k, v in stock["headers"].items() if k not in dynamic
    }


@pytest.mark.django_db
def test_the_api_skips_the_pages_middleware_and_the_pages_keep_it(auth_client, signed_in):
    api = auth_client.get("/api/v1/todos/").wsgi_request
    page = signed_in.get(reverse("todos_web:list")).wsgi_request
    for attribute in ("session", "user", "_messages", "htmx", "csp_nonce"):
        assert hasattr(page, attribute), attribute
    for attribute in ("session", "_messages", "htmx", "csp_nonce"):
        assert not hasattr(api, attribute), attribute


@pytest.mark.django_db
def test_the_api_schema_and_docs_keep_the_pages_middleware(api_client):
    for path in ("/api/schema/", "/api/docs/"):
        response = api_client.get(path)
        assert response.status_code == 200
        assert hasattr(response.wsgi_request, "session")
        assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_pages_keep_csrf_and_their_content_security_policy(user):
    browser = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")
    login = browser.get(reverse("accounts_web:login"))
    assert "csrftoken" in login.cookies
    assert "default-src 'self'" in login["Content-Security-Policy"]
    refused = browser.post(
        reverse("accounts_web:login"), {"username": user.email, "password": "wrong"}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_admin_keeps_its_session_csrf_and_policy():
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    browser = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")
    assert browser.post("/admin/login/", {"username": admin.email}).status_code == 403
    browser.force_login(admin)
    page = browser.get("/admin/")
    assert page.status_code == 200
    assert "Content-Security-Policy" in page
    assert "Cookie" in page["Vary"]
