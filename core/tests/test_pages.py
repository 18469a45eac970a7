"""What every page shares: the security policy, the error pages, the layout."""

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from core.views import pages as views

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    return dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
        "/admin/login/",
    ],
)
def test_every_page_has_the_strict_policy(browser, path):
    response = browser.get(path)
    assert response["Content-Type"].startswith("text/html")
    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_signed_in_pages_have_it_too(signed_in):
    for path in ("/todos/", "/accounts/profile/", "/accounts/password/change/"):
        assert policy(signed_in.get(path))["script-src"] == "'self'", path


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_keep_their_own_policy(browser, path):
    directives = policy(browser.get(path))
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["worker-src"] == "'self' blob:"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_hold_no_inline_script_or_handler(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "on*= handler"
    assert "style=" not in text
    assert "javascript:" not in text


def test_htmx_is_served_from_our_static_files(browser):
    page = browser.get("/").content.decode()
    (src,) = re.findall(r'<script src="(/static/web/htmx[^"]+)"', page)
    assert src.startswith("/static/web/htmx.min.")
    assert browser.get(src).status_code == 200
    assert 'name="htmx-config"' in page
    assert '"includeIndicatorStyles": false' in page


def test_an_unknown_page_is_the_404_page(browser):
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Not found · Todo</title>" in page
    assert 'href="/"' in page


def test_a_bad_host_is_the_400_page():
    response = Client(HTTP_HOST="evil.example", HTTP_X_FORWARDED_PROTO="https").get("/")
    assert response.status_code == 400
    assert "<title>Bad request · Todo</title>" in response.content.decode()


def test_the_api_keeps_json_errors(browser):
    response = browser.get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_the_500_page_needs_no_request_context():
    request = RequestFactory().get("/todos/")
    response = views.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    api = views.server_error(RequestFactory().get("/api/v1/todos/"))
    assert api["Content-Type"] == "application/json"


def test_the_403_page(browser):
    request = RequestFactory().get("/somewhere/")
    response = views.permission_denied(request, PermissionError())
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_the_footer_links_the_api_docs_and_the_admin_for_staff(browser, signed_in, user):
    page = browser.get("/accounts/login/").content.decode()
    assert 'href="/api/docs/"' in page
    assert 'href="/admin/"' not in page
    user.is_staff = True
    user.save()
    assert 'href="/admin/"' in signed_in.get("/todos/").content.decode()
