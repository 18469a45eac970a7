"""
Observability through HTTP: request ids, the one log line per request,
the guarded /metrics (also summed across processes), and Sentry delivery.

Behaviour fixed when settings load (debug's text logs, Sentry, multiprocess
metrics) runs in child processes that load the real settings and serve
requests through the real WSGI application or runserver.
"""

import gzip
import http.client
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from tests.clients import make_client

REPO_ROOT = Path(__file__).resolve().parents[1]
METRICS = "/metrics"
MISSING_PAGE = "/api/v1/no-such-endpoint/"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")
PUBLIC_ADDRESS = "8.8.8.8"
TOKEN = "metrics-token-for-tests-0123456789abcdef"
SUBPROCESS_TIMEOUT = 60


# --- Helpers ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], object], *, timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict]]]:
    """
    What the configured console handler writes, as parsed JSON lines.

    The real handler (formatter and request-id filter from settings.LOGGING)
    writes into a buffer for the test; the suite runs with debug off, so JSON.
    """
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(previous)


def access_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "config.access"]


def scrape(client: APIClient | None = None, **headers: str) -> dict[tuple, float]:
    """Every sample of /metrics, keyed by (name, sorted labels)."""
    response = (client or APIClient()).get(METRICS, **headers)
    assert response.status_code == 200, response.status_code
    return parse_metrics(response.content.decode())


def parse_metrics(text: str) -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(samples: dict[tuple, float], name: str, **labels: str) -> float:
    """Sum of a metric's samples whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(
        value
        for (sample, sample_labels), value in samples.items()
        if sample == name and wanted <= set(sample_labels)
    )


def child_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Production-like settings for a child process, on a throwaway SQLite file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY_", "PROMETHEUS_", "METRICS_", "DJANGO_", "LOG_LEVEL"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="child-process-secret-key-for-observability-tests-0123456789",
        DJANGO_ALLOWED_HOSTS="api.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'child.sqlite3'}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


# Loaded by each child: call the WSGI application as gunicorn would.
WSGI_CALL = """
import io, json, wsgiref.util
from config.wsgi import application

def call(method, path, body=b"", **environ):
    environ = {"HTTP_HOST": "api.example.com", "HTTP_X_FORWARDED_PROTO": "https", **environ,
               "REQUEST_METHOD": method, "PATH_INFO": path,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    wsgiref.util.setup_testing_defaults(environ)
    started = []
    result = application(environ, lambda status, headers, exc_info=None: started.append(status))
    try:
        content = b"".join(result)
    finally:
        result.close()
    return int(started[0].split()[0]), content.decode()
"""


def start_child(script: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WSGI_CALL + script],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_child(process: subprocess.Popen) -> subprocess.CompletedProcess:
    try:
        stdout, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    assert process.returncode == 0, stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run_child(script: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return finish_child(start_child(script, env))


# --- Request id ---------------------------------------------------------------


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


# --- One JSON line per request --------------------------------------------------


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


@pytest.mark.django_db
def test_the_request_id_is_on_app_log_lines_inside_the_request(api_client, log_lines, settings):
    """The reset mail cannot be sent (nothing listens on the SMTP port): that is logged."""
    user = UserFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5

    response = api_client.post(
        "/api/v1/auth/password/reset/", {"email": user.email}, HTTP_X_REQUEST_ID="reset-1"
    )

    assert response.status_code == 202
    lines = log_lines()
    (failure,) = [line for line in lines if line["logger"] == "accounts.services"]
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


# --- Metrics: who may read them -------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_an_ordinary_404_for_a_public_address(settings):
    settings.METRICS_TOKEN = TOKEN
    client = make_client()
    response = client.get(METRICS, REMOTE_ADDR=PUBLIC_ADDRESS)
    ordinary = client.get("/no-such-page", REMOTE_ADDR=PUBLIC_ADDRESS)
    assert response.status_code == 404
    assert response.content == ordinary.content
    assert response["Content-Type"] == ordinary["Content-Type"]


@pytest.mark.django_db
def test_metrics_with_the_right_token_from_anywhere(settings):
    settings.METRICS_TOKEN = TOKEN
    response = make_client().get(
        METRICS, REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"django_http_responses_total_by_status" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "],
    ids=["longer", "shorter", "other-scheme", "no-scheme", "empty"],
)
def test_metrics_with_a_wrong_token_are_not_found(settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    response = make_client().get(
        METRICS, REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION=authorization
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_empty_bearer_token_does_not_match_an_unset_token(settings):
    settings.METRICS_TOKEN = ""
    response = make_client().get(METRICS, REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "172.20.0.3", "192.168.0.7", "::1", "fd00::5"]
)
def test_metrics_from_a_private_address_without_a_token(address):
    response = make_client().get(METRICS, REMOTE_ADDR=address)
    assert response.status_code == 200
    assert b"django_http_responses_total_by_status" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"],
)
def test_a_private_address_that_forwards_for_someone_else_gets_404(header):
    """A proxy's private address relays the internet: its requests are not trusted."""
    response = make_client().get(METRICS, REMOTE_ADDR="10.0.0.2", **{header: PUBLIC_ADDRESS})
    assert response.status_code == 404


@pytest.mark.django_db
def test_behind_proxies_only_the_token_opens_metrics(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = make_client()
    assert client.get(METRICS, REMOTE_ADDR="10.0.0.2").status_code == 404
    authorized = client.get(METRICS, REMOTE_ADDR="10.0.0.2", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert authorized.status_code == 200


@pytest.mark.django_db
def test_metrics_skip_the_https_redirect_and_the_host_check():
    """Like /health: a scraper talks plain http to the container's own address."""
    plain = APIClient()  # no X-Forwarded-Proto: plain http
    assert plain.get(MISSING_PAGE, HTTP_HOST="testserver").status_code == 301
    assert plain.get(METRICS, HTTP_HOST="10.0.0.9:8000").status_code == 200


@pytest.mark.django_db
def test_only_get_and_head_read_metrics():
    client = make_client()
    assert client.head(METRICS).status_code == 200
    assert client.post(METRICS).status_code == 404


# --- Metrics: what they count ---------------------------------------------------


@pytest.mark.django_db
def test_responses_are_counted_by_status_and_scrapes_are_not(api_client):
    name = "django_http_responses_total_by_status_total"
    before = scrape()
    assert api_client.get(MISSING_PAGE).status_code == 404
    after = scrape()
    assert total(after, name, status="404") - total(before, name, status="404") == 1
    assert total(after, name, status="200") == total(before, name, status="200")


@pytest.mark.django_db
def test_health_probes_are_not_counted_as_traffic(api_client):
    name = "django_http_requests_before_middlewares_total"
    before = scrape()
    assert api_client.get("/health").status_code == 200
    after_probe = scrape()
    assert api_client.get(MISSING_PAGE).status_code == 404
    after_request = scrape()
    assert total(after_probe, name) == total(before, name)
    assert total(after_request, name) == total(after_probe, name) + 1


def test_latency_is_a_histogram_per_view(auth_client):
    name = "django_http_requests_latency_seconds_by_view_method_count"
    labels = {"view": "todos:todo-list", "method": "GET"}
    before = scrape()
    assert auth_client.get("/api/v1/todos/").status_code == 200
    after = scrape()
    assert total(after, name, **labels) - total(before, name, **labels) == 1
    assert any(
        sample == "django_http_requests_latency_seconds_by_view_method_bucket"
        for sample, _ in after
    )


def test_database_queries_and_errors_are_counted(auth_client):
    """An idempotent replay hits the unique constraint: a database error, by design."""
    before = scrape()
    for _ in range(2):
        response = auth_client.post(
            "/api/v1/todos/", {"title": "once"}, HTTP_IDEMPOTENCY_KEY="metrics-replay"
        )
        assert response.status_code == 201
    after = scrape()
    assert total(after, "django_db_execute_total") > total(before, "django_db_execute_total")
    errors = "django_db_errors_total"
    assert total(after, errors) - total(before, errors) == 1


def test_metrics_add_up_across_worker_processes(tmp_path):
    """Two worker processes count; a third serves /metrics with both their counts."""
    env = child_env(tmp_path, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"))
    worker = "for _ in range(2):\n    assert call('GET', '/no-such-page')[0] == 404"
    workers = [start_child(worker, env) for _ in range(2)]
    for process in workers:
        finish_child(process)

    scraper = run_child(
        "status, body = call('GET', '/metrics', REMOTE_ADDR='127.0.0.1')\n"
        "assert status == 200, status\n"
        "print(body)",
        env,
    )

    samples = parse_metrics(scraper.stdout)
    assert total(samples, "django_http_responses_total_by_status_total", status="404") == 4


# --- Logs in debug ----------------------------------------------------------------


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_debug_logs_are_readable_text_once_per_request_under_runserver(tmp_path):
    port = free_port()
    env = child_env(
        tmp_path, DJANGO_DEBUG="true", DJANGO_ALLOWED_HOSTS="127.0.0.1", PYTHONUNBUFFERED="1"
    )
    log = tmp_path / "runserver.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        wait_until(lambda: port_open(port), timeout=30, what="runserver to listen")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/no-such-page/?q=1", headers={"X-Request-ID": "debug-1"})
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 404
        assert response.getheader("X-Request-ID") == "debug-1"
        lines = wait_until(
            lambda: [line for line in log.read_text().splitlines() if "debug-1" in line],
            timeout=10,
            what="the access line",
        )
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert len(lines) == 1, lines
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO +config\.access \[debug-1\] "
        r"GET /no-such-page/ 404 \d+\.\d\dms",
        lines[0],
    ), lines[0]
    output = log.read_text()
    assert "HTTP/1.1" not in output  # runserver's own access line (django.server)
    assert "Not Found" not in output  # Django's warning for every 4xx
    assert "{" not in output


def test_server_errors_are_logged_at_error(tmp_path):
    """With the database gone /health answers 503; its access line is an ERROR."""
    env = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")
    child = run_child("print(call('GET', '/health', HTTP_X_REQUEST_ID='down-1')[0])", env)
    assert child.stdout.strip() == "503"
    # One line: Django's own "Service Unavailable" line would repeat it.
    (line,) = [json.loads(line) for line in child.stderr.splitlines() if "/health" in line]
    assert line["request_id"] == "down-1"
    assert line["level"] == "ERROR"
    assert line["status"] == 503
    assert line["path"] == "/health"


# --- Sentry ---------------------------------------------------------------------


class SentryIngest:
    """A test double of Sentry's ingest on loopback: keeps every envelope posted."""

    def __init__(self) -> None:
        self.envelopes: list[bytes] = []
        envelopes = self.envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                envelopes.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test reads the envelopes, not a log."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def items(self, kind: str) -> list[dict]:
        """The payloads of every item of one type ("event", "transaction", ...)."""
        return [
            json.loads(payload)
            for envelope in self.envelopes
            for header, payload in envelope_items(envelope)
            if header.get("type") == kind
        ]

    def events(self) -> list[dict]:
        return self.items("event")


def envelope_items(raw: bytes) -> list[tuple[dict, bytes]]:
    """Sentry's envelope format: a header line, then (item header, payload) pairs."""
    stream = io.BytesIO(raw)
    stream.readline()
    items = []
    while header_line := stream.readline():
        if not header_line.strip():
            continue
        header = json.loads(header_line)
        if "length" in header:
            payload = stream.read(header["length"])
            stream.readline()
        else:
            payload = stream.readline()
        items.append((header, payload))
    return items


@pytest.fixture
def sentry_ingest() -> Iterator[SentryIngest]:
    ingest = SentryIngest()
    yield ingest
    ingest.close()


FAILING_VIEW = """
import sentry_sdk
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import config.urls

@csrf_exempt
def fail(request):
    raise RuntimeError("observability test failure")

config.urls.urlpatterns.append(path("fail/", fail))
status, _ = call(
    "POST", "/fail/", b'{"new_password": "BODY-SECRET-4711"}',
    CONTENT_TYPE="application/json",
    HTTP_AUTHORIZATION="Bearer HEADER-SECRET-4711",
    HTTP_COOKIE="sessionid=COOKIE-SECRET-4711",
    HTTP_X_REQUEST_ID="sentry-1",
)
print(json.dumps({"status": status, "active": sentry_sdk.get_client().is_active()}))
"""


def test_an_unhandled_exception_is_delivered_to_sentry(tmp_path, sentry_ingest):
    env = child_env(
        tmp_path,
        SENTRY_DSN=f"http://public-key@127.0.0.1:{sentry_ingest.port}/42",
        SENTRY_ENVIRONMENT="observability-test",
    )
    child = run_child(FAILING_VIEW, env)
    assert json.loads(child.stdout) == {"status": 500, "active": True}

    (event,) = wait_until(sentry_ingest.events, timeout=10, what="an event at the ingest")
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "observability test failure"
    assert event["environment"] == "observability-test"
    assert event["tags"]["request_id"] == "sentry-1"
    assert event["request"]["url"].endswith("/fail/")
    everything_sent = b"".join(sentry_ingest.envelopes)
    for secret in (b"BODY-SECRET", b"HEADER-SECRET", b"COOKIE-SECRET"):
        assert secret not in everything_sent


def test_without_a_dsn_sentry_is_not_started_and_the_traceback_is_logged(tmp_path):
    child = run_child(FAILING_VIEW, child_env(tmp_path))
    assert json.loads(child.stdout) == {"status": 500, "active": False}

    traceback, access = [
        json.loads(line) for line in child.stderr.splitlines() if line.startswith("{")
    ]
    assert traceback["logger"] == "django.request"
    assert traceback["request_id"] == "sentry-1"
    assert "RuntimeError: observability test failure" in traceback["exc_info"]
    assert access["logger"] == "config.access"
    assert access["request_id"] == "sentry-1"
    assert access["level"] == "ERROR"
    assert access["status"] == 500


# Two requests, each with a caller's sampling decision in ``sentry-trace``,
# then a message that proves the delivery works.
TRACED_REQUESTS = """
import sentry_sdk

for path in ("/health", "/no-such-page"):
    call("GET", path, HTTP_SENTRY_TRACE="{trace}")
sentry_sdk.capture_message("traced requests done")
"""
TRACE_ID = "a" * 32
CALLER_SAYS_SAMPLE = f"{TRACE_ID}-{'b' * 16}-1"
CALLER_SAYS_DO_NOT_SAMPLE = f"{TRACE_ID}-{'b' * 16}-0"


def traced_transactions(tmp_path: Path, ingest: SentryIngest, rate: str, trace: str) -> list:
    env = child_env(
        tmp_path,
        SENTRY_DSN=f"http://public-key@127.0.0.1:{ingest.port}/42",
        SENTRY_TRACES_SAMPLE_RATE=rate,
    )
    run_child(TRACED_REQUESTS.format(trace=trace), env)
    wait_until(ingest.events, timeout=10, what="the closing message at the ingest")
    return ingest.items("transaction")


def test_a_caller_cannot_switch_tracing_on(tmp_path, sentry_ingest):
    assert traced_transactions(tmp_path, sentry_ingest, "0", CALLER_SAYS_SAMPLE) == []


def test_our_rate_decides_what_is_traced_and_probes_never_are(tmp_path, sentry_ingest):
    transactions = traced_transactions(tmp_path, sentry_ingest, "1", CALLER_SAYS_DO_NOT_SAMPLE)
    (transaction,) = transactions
    assert transaction["request"]["url"].endswith("/no-such-page")
    assert transaction["contexts"]["trace"]["trace_id"] == TRACE_ID
