"""Production defaults: refusing to start without a secret, HTTPS, headers, CORS, release."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from reminders.tokens import unsubscribe_token

ROOT = Path(__file__).resolve().parents[1]
GOOD_SECRET = "8Jq-" + "".join(chr(ord("a") + n % 26) for n in range(60))


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with exactly these Django variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("secret", [None, "", "too-short"])
def test_refuses_to_start_without_a_real_secret_when_debug_is_off(secret):
    env = {} if secret is None else {"DJANGO_SECRET_KEY": secret}
    result = run_django("check", **env)
    assert result.returncode != 0
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith("DJANGO_SECRET_KEY must be set")


def test_debug_starts_with_the_development_key():
    result = run_django("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    """``check --deploy`` failing on warnings, with production variables and ``env``."""
    return run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=GOOD_SECRET,
        DJANGO_ALLOWED_HOSTS="todo.example.com",
        **env,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = check_deploy(EMAIL_HOST="smtp.example.com")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_mail_would_go_to_the_logs():
    result = check_deploy(EMAIL_HOST="")
    assert result.returncode != 0
    assert "core.W001" in result.stderr + result.stdout
    assert "EMAIL_HOST is not set" in result.stderr + result.stdout


def test_debug_is_off_by_default(settings):
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_plain_http_redirects_to_https_except_health():
    client = Client()
    response = client.get("/api/v1/todos/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/todos/"
    assert client.get("/health").status_code == 200


@pytest.mark.django_db
def test_security_headers(auth_client):
    response = auth_client.get("/api/v1/todos/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_page_whose_address_is_a_key_is_named_in_no_referer(browser, user):
    """The browser sends no Referer from it, not even for the page's own static files."""
    pages = [
        f"/reminders/unsubscribe/{unsubscribe_token(user=user)}/",
        "/accounts/verify/not-a-token/",
        "/accounts/password/reset/MQ/not-a-token/",
        f"/calendar/{'A' * 43}.ics",
    ]
    for path in pages:
        assert browser.get(path)["Referrer-Policy"] == "no-referrer", path
    for path in ("/accounts/login/", "/accounts/verify/resend/", "/accounts/password/reset/"):
        assert browser.get(path)["Referrer-Policy"] == "same-origin", path


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health", "/health/", "/metrics"])
def test_probes_get_the_security_headers_on_any_host_over_plain_http(path):
    # A probe or a scraper on the private network: plain http, its own Host.
    response = Client(HTTP_HOST="10.0.0.9:8000").get(path)
    assert response.status_code == 200
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value, header
    assert not response.has_header("Strict-Transport-Security")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health", "/metrics"])
def test_probes_over_https_get_hsts_too(path):
    response = Client(HTTP_HOST="10.0.0.9:8000", HTTP_X_FORWARDED_PROTO="https").get(path)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/favicon.ico", "/api/schema/", "/no-such-page/"])
def test_every_kind_of_answer_gets_the_security_headers(path):
    response = Client(HTTP_X_FORWARDED_PROTO="https").get(path)
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value, (path, header)


def test_the_readme_superuser_example_holds_no_password():
    readme = (ROOT / "README.md").read_text()
    assert "createsuperuser --noinput" in readme
    assert "DJANGO_SUPERUSER_PASSWORD" in readme
    # Assigned nowhere in the text: whatever was written there could be used as is.
    assert not re.search(r"DJANGO_SUPERUSER_PASSWORD=", readme)


@pytest.mark.django_db
def test_admin_cookies_are_secure(db):
    from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

    staff = UserFactory.create(is_staff=True)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.get("/admin/login/")
    response = client.post("/admin/login/", {"username": staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True
    assert client.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_cors_allows_only_configured_origins(auth_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    allowed = auth_client.get("/api/v1/todos/", HTTP_ORIGIN="https://app.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    refused = auth_client.get("/api/v1/todos/", HTTP_ORIGIN="https://evil.example.com")
    assert not refused.has_header("Access-Control-Allow-Origin")


@pytest.mark.django_db
def test_cors_preflight_allows_the_conditional_and_idempotency_headers(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = api_client.options(
        "/api/v1/todos/1/",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match, idempotency-key",
    )
    assert response.status_code == 200
    allowed = response["Access-Control-Allow-Headers"]
    for header in ("authorization", "if-match", "idempotency-key"):
        assert header in allowed
    plain = api_client.get("/api/v1/todos/", HTTP_ORIGIN="https://app.example.com")
    assert "ETag" in plain["Access-Control-Expose-Headers"]


def test_argon2_is_the_password_hasher(settings):
    from django.contrib.auth.hashers import make_password

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("x").startswith("argon2")


@pytest.mark.django_db
def test_release_command_migrates_and_reports(capsys):
    call_command("release", verbosity=0)
    out = capsys.readouterr().out
    assert "Release complete." in out
    if connection.vendor == "postgresql":
        assert "Waiting for the release lock" in out
