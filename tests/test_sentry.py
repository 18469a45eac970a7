"""
Sentry: an unhandled exception is delivered (without secrets) to a loopback
ingest; tracing is sampled by our rate only, never for probes.
"""

import json
from pathlib import Path

from tests.live import SentryIngest, Stack, child_env, free_port, run_wsgi, wait_until

FAILING_VIEW = """
import sentry_sdk
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import config.urls

@csrf_exempt
def fail(request):
    reminder = "LOCAL-SECRET-4711"
    raise RuntimeError(f"observability test failure ({len(reminder)})")

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


def test_an_unhandled_exception_is_delivered_to_sentry(tmp_path, stack, sentry_ingest):
    env = child_env(
        tmp_path,
        SENTRY_DSN=sentry_ingest.dsn,
        SENTRY_ENVIRONMENT="observability-test",
    )
    child = run_wsgi(stack, FAILING_VIEW, env)
    assert json.loads(child.stdout) == {"status": 500, "active": True}

    (event,) = wait_until(sentry_ingest.events, timeout=10, what="an event at the ingest")
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "observability test failure (17)"
    assert event["environment"] == "observability-test"
    assert event["tags"]["request_id"] == "sentry-1"
    assert event["request"]["url"].endswith("/fail/")
    everything_sent = b"".join(sentry_ingest.envelopes)
    for secret in (b"BODY-SECRET", b"HEADER-SECRET", b"COOKIE-SECRET", b"LOCAL-SECRET"):
        assert secret not in everything_sent


# A view at a path that is itself a key, as a calendar feed's address is.
FAILING_SECRET_PATH = """
from django.urls import path

import config.urls

def fail(request, secret):
    raise RuntimeError("feed failure")

config.urls.urlpatterns.insert(0, path("calendar/<str:secret>.ics", fail))
status, _ = call(
    "GET",
    "/calendar/FEED-SECRET-4711.ics",
    HTTP_REFERER="https://api.example.com/reminders/unsubscribe/REFERER-SECRET-4711/",
)
print(status)
"""


def test_a_key_in_the_path_is_masked_in_what_sentry_gets(tmp_path, stack, sentry_ingest):
    env = child_env(tmp_path, SENTRY_DSN=sentry_ingest.dsn)
    child = run_wsgi(stack, FAILING_SECRET_PATH, env)
    assert child.stdout.strip() == "500"

    (event,) = wait_until(sentry_ingest.events, timeout=10, what="an event at the ingest")
    assert event["request"]["url"].endswith("/calendar/***.ics")
    assert event["request"]["headers"]["Referer"].endswith("/reminders/unsubscribe/***/")
    assert b"SECRET-4711" not in b"".join(sentry_ingest.envelopes)


def test_without_a_dsn_sentry_is_not_started_and_the_traceback_is_logged(tmp_path, stack):
    child = run_wsgi(stack, FAILING_VIEW, child_env(tmp_path))
    assert json.loads(child.stdout) == {"status": 500, "active": False}

    traceback, access = [
        json.loads(line)
        for line in child.stderr.splitlines()
        # The request's lines (start-up says tasks run in-process: no broker here).
        if line.startswith("{") and '"request_id": "sentry-1"' in line
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


def traced_transactions(
    tmp_path: Path, stack: Stack, ingest: SentryIngest, rate: str, trace: str
) -> list:
    env = child_env(
        tmp_path,
        SENTRY_DSN=ingest.dsn,
        SENTRY_TRACES_SAMPLE_RATE=rate,
    )
    run_wsgi(stack, TRACED_REQUESTS.format(trace=trace), env)
    wait_until(ingest.events, timeout=10, what="the closing message at the ingest")
    return ingest.items("transaction")


def test_a_caller_cannot_switch_tracing_on(tmp_path, stack, sentry_ingest):
    assert traced_transactions(tmp_path, stack, sentry_ingest, "0", CALLER_SAYS_SAMPLE) == []


def test_our_rate_decides_what_is_traced_and_probes_never_are(tmp_path, stack, sentry_ingest):
    transactions = traced_transactions(
        tmp_path, stack, sentry_ingest, "1", CALLER_SAYS_DO_NOT_SAMPLE
    )
    (transaction,) = transactions
    assert transaction["request"]["url"].endswith("/no-such-page")
    assert transaction["contexts"]["trace"]["trace_id"] == TRACE_ID


# A mail task whose server refuses the connection: run eagerly (no broker),
# it gives up at once, as a worker does after a day of retries.
MAIL_GIVEN_UP = """
import sentry_sdk
from celery import shared_task
from django.core.mail import send_mail

from core.jobs import MailTask

@shared_task(base=MailTask, bind=True, name="tests.send_mail")
def send(self):
    send_mail("Hello", "Body", None, ["someone@example.com"])

send.apply()
sentry_sdk.flush()
"""


def test_a_mail_given_up_on_is_reported_to_sentry(tmp_path, stack, sentry_ingest):
    env = child_env(
        tmp_path,
        SENTRY_DSN=sentry_ingest.dsn,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(free_port()),
        EMAIL_USE_TLS="false",
        CELERY_TASK_ALWAYS_EAGER=None,
    )
    run_wsgi(stack, MAIL_GIVEN_UP, env)

    events = wait_until(sentry_ingest.events, timeout=10, what="an event at the ingest")
    types = {value["type"] for event in events for value in event["exception"]["values"]}
    assert "MailNotDelivered" in types, events
    # The task's arguments and the frames' variables hold the address: not sent.
    assert b"someone@example.com" not in b"".join(sentry_ingest.envelopes)
