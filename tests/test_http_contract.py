"""
The service's edges: health, JSON errors for every kind of bad request, the
trailing-slash rule, and the pages outside the API.
"""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

LIST_URL = "/api/v1/todos/"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def browser() -> Client:
    return Client(HTTP_X_FORWARDED_PROTO="https")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health", "/health/"])
def test_health_is_exactly_healthy(path):
    # Plain http and any host name, as a platform probe sends it.
    response = Client(HTTP_HOST="healthcheck.railway.app").get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: an unreachable server (CI runs the suite on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_the_database_does_not_answer(monkeypatch):
    # Point the connection at a port where nothing listens: a real refused
    # connection. Stopping a real server is proven in test_live_faults.
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        response = Client().get("/health")
    finally:
        connection.close()
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_api_paths_work_with_and_without_trailing_slash(auth_client, user, method):
    from todos.tests.factories import TodoFactory

    todo = TodoFactory.create(owner=user)
    base = LIST_URL if method in {"get", "post"} else f"/api/v1/todos/{todo.id}/"
    for path in (base, base.rstrip("/")):
        response = getattr(auth_client, method)(path, {"title": "t"}, format="json")
        assert response.status_code in {200, 201, 204}, (path, response.status_code)
        if method == "delete":
            break


@pytest.mark.django_db
def test_auth_paths_work_without_trailing_slash(api_client):
    response = api_client.post(
        "/api/v1/auth/register",
        {"email": "slash@example.com", "password": "a-long-passphrase-1815"},
        format="json",
    )
    assert response.status_code == 202


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/nope", "/api/v2/todos/"])
def test_unknown_api_url_is_json_404(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.django_db
def test_unknown_page_outside_the_api_is_html(browser):
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ['{"title": ', "not json", '{"title": NaN}', "[" * 100_000, b"\xff\xfe"]
)
def test_malformed_json_is_400(auth_client, body):
    response = auth_client.post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_non_json_body_is_415(auth_client, content_type):
    response = auth_client.generic("POST", LIST_URL, "title=x", content_type=content_type)
    assert response.status_code == 415
    assert "detail" in response.json()


@pytest.mark.django_db
def test_body_over_one_mebibyte_is_413(auth_client):
    body = json.dumps({"title": "big", "description": "x" * (1024 * 1024)})
    response = auth_client.post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 413
    assert "detail" in response.json()


@pytest.mark.django_db
def test_body_just_under_the_limit_is_parsed(auth_client):
    body = json.dumps({"title": "big", "description": "x" * (1024 * 1024 - 100)})
    response = auth_client.post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.django_db
def test_unsupported_method_is_json_405(auth_client):
    response = auth_client.put(LIST_URL, {"title": "x"}, format="json")
    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.django_db
def test_bad_host_under_api_is_json_400(auth_client):
    response = auth_client.get(LIST_URL, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_landing_page_links_docs_and_admin(browser):
    response = browser.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for link in ('href="/api/docs/"', 'href="/api/redoc/"', 'href="/admin/"'):
        assert link in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_are_self_hosted(browser, path):
    response = browser.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn.jsdelivr.net" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_load_nothing_from_another_origin(browser, path):
    response = browser.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "fonts.googleapis.com" not in page
    assert "fonts.gstatic.com" not in page
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert urls
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    # No inline script, and the browser refuses anything from elsewhere (Redoc's
    # bundle asks cdn.redoc.ly for a logo).
    assert "<script>" not in page
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"


@pytest.mark.django_db
def test_swagger_start_up_script_is_served_from_the_same_origin(browser):
    response = browser.get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


@pytest.mark.django_db
def test_favicon_is_an_icon_from_the_static_files(browser):
    response = browser.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = b"".join(response.streaming_content)
    assert icon == (ROOT / "core/static/core/favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # ICO header: reserved 0, type 1 (icon)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/redoc/"])
def test_pages_link_the_hashed_favicon(browser, path):
    page = browser.get(path).content.decode()
    icon = page.split('rel="icon" href="')[1].split('"')[0]
    assert icon.startswith("/static/core/favicon.")
    assert icon != "/static/core/favicon.ico"
    assert browser.get(icon).status_code == 200


@pytest.mark.django_db
def test_static_files_have_hashed_names_and_long_cache(browser):
    page = browser.get("/").content.decode()
    stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/web/app.")
    assert stylesheet != "/static/web/app.css"
    response = browser.get(stylesheet)
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]


@pytest.mark.django_db
def test_schema_has_bearer_security_and_json_format(browser):
    response = browser.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    scheme = schema["components"]["securitySchemes"]["jwtAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert "/api/v1/todos/{id}/" in schema["paths"]
