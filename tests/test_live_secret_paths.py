"""
A path that is itself a key (a calendar feed's address, a mailed link) reaches
no log in clear through a live gunicorn: neither gunicorn's own access log
(``GUNICORN_ACCESS_LOG``) and error log, nor the app's access line, nor the lines Django
writes about a failed request ("Internal Server Error: <path>", a refused
form). gunicorn serves an unmigrated SQLite database: ``/health`` answers and
every view that reads a table fails with a 500, as after a botched deployment.
"""

import json
import socket

import pytest
from django.core import signing

from reminders.tokens import UNSUBSCRIBE_SALT
from tests.live import HOST, SECRET_KEY, Stack, call, server_env

pytestmark = pytest.mark.live

FEED = "/calendar/FEED-SECRET-4711.ics"
RESET = "/accounts/password/reset/MQ/RESET-SECRET-4711/"
VERIFY = "/accounts/verify/VERIFY-SECRET-4711/"


def test_no_key_in_a_path_reaches_a_log(tmp_path, stack: Stack):
    # A valid link (its signature checks out), so the view goes on to the database.
    token = signing.Signer(key=SECRET_KEY, salt=UNSUBSCRIBE_SALT).sign_object({"user": 1})
    unsubscribe = f"/reminders/unsubscribe/{token}/"
    env = server_env(
        f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}", REDIS_URL=None, GUNICORN_ACCESS_LOG="-"
    )
    server = stack.server(env, workers=1)

    for path in (FEED, unsubscribe, RESET):
        assert call(server, "GET", path).status == 500, path
    # Posted without its CSRF cookie: Django's refusal names the path.
    assert call(server, "POST", VERIFY).status == 403
    # A request line gunicorn refuses (no HTTP version): its warning quotes the line.
    with socket.create_connection((HOST, server.port), timeout=10) as connection:
        connection.sendall(b"GET /calendar/LINE-SECRET-4711.ics\r\n\r\n")
        assert connection.recv(100).startswith(b"HTTP/1.1 400 ")
    server.stop(graceful=True, timeout=10)  # every line written

    output = server.log() + server.errors()
    assert "SECRET-4711" not in output
    assert token not in output
    assert token.rsplit(":", 1)[1] not in output  # not even the signature
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    failures = [line for line in lines if line["logger"] == "django.request"]
    assert [line["message"] for line in failures] == [
        "Internal Server Error: /calendar/***.ics",
        "Internal Server Error: /reminders/unsubscribe/***/",
        "Internal Server Error: /accounts/password/reset/MQ/***/",
    ]
    assert [line["request"] for line in failures] == [
        "<WSGIRequest: GET '/calendar/***.ics'>",
        "<WSGIRequest: GET '/reminders/unsubscribe/***/'>",
        "<WSGIRequest: GET '/accounts/password/reset/MQ/***/'>",
    ]
    assert "Invalid HTTP request line: 'GET /calendar/***.ics'" in output
    (refused,) = [line for line in lines if line["logger"] == "django.security.csrf"]
    assert refused["message"].endswith(": /accounts/verify/***/")
    app_access = [line["path"] for line in lines if line["logger"] == "config.access"]
    assert app_access[-4:] == [
        "/calendar/***.ics",
        "/reminders/unsubscribe/***/",
        "/accounts/password/reset/MQ/***/",
        "/accounts/verify/***/",
    ]
    gunicorn_access = [line for line in output.splitlines() if '" 500 ' in line or '" 403 ' in line]
    assert [line.split('"')[1] for line in gunicorn_access] == [
        "GET /calendar/***.ics HTTP/1.1",
        "GET /reminders/unsubscribe/***/ HTTP/1.1",
        "GET /accounts/password/reset/MQ/***/ HTTP/1.1",
        "POST /accounts/verify/***/ HTTP/1.1",
    ]
