"""
The logs: one line per request (JSON with debug off, text in debug), with the
request id on every line written inside a request.
"""

import http.client
import io
import json
import logging
import re
from collections.abc import Callable, Iterator

import pytest

from accounts.tests.factories import UserFactory
from tests.clients import make_client
from tests.live import HOST, child_env, free_port, manage_command, port_open, run_wsgi, wait_until

METRICS = "/metrics"
MISSING_PAGE = "/api/v1/no-such-endpoint/"


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict]]]:
    """
    What the configured console handler writes, as parsed JSON lines.

    The real handler (formatter and request-id filter from settings.LOGGING)
    writes into a buffer for the test; the suite runs with debug off, so JSON.
    """
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(previous)


def access_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "config.access"]


@pytest.mark.django_db
def test_each_request_is_logged_once_as_json(api_client, log_lines):
    response = api_client.get(MISSING_PAGE, {"q": "private"}, HTTP_X_REQUEST_ID="once-1")
    assert response.status_code == 404

    # Just the access line: Django's own "Not Found" warning would repeat it.
    (line,) = log_lines()
    assert line["request_id"] == "once-1"
    assert line["logger"] == "config.access"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == MISSING_PAGE  # no query string: it may carry personal data
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    assert "private" not in json.dumps(line)


def test_the_access_line_has_the_path_as_sent(auth_client, log_lines):
    response = auth_client.get("/api/v1/todos", HTTP_X_REQUEST_ID="slashless")
    assert response.status_code == 200
    (line,) = access_lines(log_lines())
    assert line["path"] == "/api/v1/todos"
    assert line["status"] == 200


def test_successful_probes_stay_out_of_the_info_stream(api_client, log_lines, db):
    assert api_client.get("/health").status_code == 200
    assert make_client().get(METRICS).status_code == 200
    assert access_lines(log_lines()) == []


# Outside a test transaction, so the mail task is queued when the request's work
# commits, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_request_id_is_on_app_log_lines_inside_the_request(api_client, log_lines, settings):
    """The reset mail cannot be sent (nothing listens on the SMTP port): that is logged."""
    user = UserFactory.create()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5

    # No broker in the suite: the mail task runs eagerly, inside the request.
    response = api_client.post(
        "/api/v1/auth/password/reset/", {"email": user.email}, HTTP_X_REQUEST_ID="reset-1"
    )

    assert response.status_code == 202
    lines = log_lines()
    (failure,) = [line for line in lines if line["logger"] == "celery.app.trace"]
    assert failure["request_id"] == "reset-1"
    assert failure["level"] == "ERROR"
    assert "ConnectionRefusedError" in failure["exc_info"]
    (access,) = access_lines(lines)
    assert access["request_id"] == "reset-1"


def test_lines_outside_a_request_have_no_request_id(log_lines):
    logging.getLogger("tests").warning("outside any request")
    (line,) = log_lines()
    assert line["request_id"] == "-"
    assert line["message"] == "outside any request"


def test_debug_logs_are_readable_text_once_per_request_under_runserver(tmp_path, stack):
    port = free_port()
    env = child_env(tmp_path, DJANGO_DEBUG="true", DJANGO_ALLOWED_HOSTS=HOST)
    server = stack.start(
        manage_command("runserver", "--noreload", f"{HOST}:{port}"),
        env=env,
        name="runserver",
        merge_output=False,
        ready=lambda _: port_open(port),
        timeout=30,
    )
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    connection.request("GET", "/no-such-page/?q=1", headers={"X-Request-ID": "debug-1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 404
    assert response.getheader("X-Request-ID") == "debug-1"
    lines = wait_until(
        lambda: [line for line in server.errors().splitlines() if "debug-1" in line],
        timeout=10,
        what="the access line",
    )
    server.stop(graceful=True, timeout=10)

    assert len(lines) == 1, lines
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO +config\.access \[debug-1\] "
        r"GET /no-such-page/ 404 \d+\.\d\dms",
        lines[0],
    ), lines[0]
    output = server.errors()
    assert "HTTP/1.1" not in output  # runserver's own access line (django.server)
    assert "Not Found" not in output  # Django's warning for every 4xx
    assert "{" not in output


def test_server_errors_are_logged_at_error(tmp_path, stack):
    """With the database gone /health answers 503; its access line is an ERROR."""
    env = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")
    child = run_wsgi(stack, "print(call('GET', '/health', HTTP_X_REQUEST_ID='down-1')[0])", env)
    assert child.stdout.strip() == "503"
    # One line: Django's own "Service Unavailable" line would repeat it.
    (line,) = [json.loads(line) for line in child.stderr.splitlines() if "/health" in line]
    assert line["request_id"] == "down-1"
    assert line["level"] == "ERROR"
    assert line["status"] == 503
    assert line["path"] == "/health"
