"""The task plumbing: the mail retry policy, sending once, eager mode and the broker settings."""

import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache

from config.celery import app
from core.jobs import mail_retry_delay, send_once

ROOT = Path(__file__).resolve().parents[2]
# Variables that decide between eager mode and a broker.
BROKER_VARIABLES = ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")


@pytest.fixture(autouse=True, scope="module")
def _tasks_registered():
    """Import every app's tasks.py, as a worker does at start-up."""
    app.loader.import_default_modules()


def retry_delay(*, retries: int) -> int:
    """The delay before retrying a send that failed with a network error."""
    delay = mail_retry_delay(OSError(), retries=retries, waited=0)
    assert delay is not None
    return delay


def test_the_first_retry_comes_within_30_seconds():
    delays = [retry_delay(retries=0) for _ in range(200)]
    assert all(0 <= delay <= 30 for delay in delays)


def test_retry_delays_grow_jittered_and_stop_at_ten_minutes(settings):
    for retries in range(12):
        ceiling = min(600, settings.MAIL_RETRY_BACKOFF * 2**retries)
        delays = [retry_delay(retries=retries) for _ in range(200)]
        assert all(0 <= delay <= ceiling for delay in delays)
        # Full jitter: the delays spread over the range instead of all being the ceiling.
        assert len(set(delays)) > 1
    assert max(retry_delay(retries=40) for _ in range(500)) > 300


def test_mail_is_retried_for_a_day_then_given_up(settings):
    day = 24 * 60 * 60
    assert day == settings.MAIL_RETRY_FOR
    error = smtplib.SMTPServerDisconnected("gone")
    assert mail_retry_delay(error, retries=100, waited=day - 1) is not None
    assert mail_retry_delay(error, retries=100, waited=day) is None


def test_a_temporary_refusal_is_retried_a_permanent_one_is_not():
    greylisted = smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"try later")})
    unknown = smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")})
    assert mail_retry_delay(greylisted, retries=0, waited=0) is not None
    assert mail_retry_delay(unknown, retries=0, waited=0) is None


def test_a_send_id_sends_once(mailoutbox):
    def send():
        mail.send_mail("hello", "body", None, ["a@example.com"])

    assert send_once("send-1", send) is True
    assert send_once("send-1", send) is False
    assert send_once("send-2", send) is True
    assert len(mailoutbox) == 2


def test_a_failed_send_leaves_no_marker(mailoutbox):
    def failing():
        raise ConnectionRefusedError

    with pytest.raises(ConnectionRefusedError):
        send_once("send-3", failing)
    assert cache.get("mail-sent:send-3") is None
    assert send_once("send-3", lambda: mail.send_mail("s", "b", None, ["a@example.com"]))
    assert len(mailoutbox) == 1


def test_every_task_has_time_limits_and_json_only():
    conf = app.conf
    assert conf.task_soft_time_limit
    assert conf.task_time_limit
    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late
    assert conf.task_reject_on_worker_lost
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert {task.name for task in ours} >= {
        "core.tasks.cleanup",
        "accounts.tasks.send_password_reset_email",
    }
    for task in ours:
        assert (task.soft_time_limit or conf.task_soft_time_limit) < (
            task.time_limit or conf.task_time_limit
        )


def test_the_visibility_timeout_outlasts_the_longest_retry_delay_and_task(settings):
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > settings.MAIL_RETRY_BACKOFF_MAX
    assert visibility > max(task.time_limit or 0 for task in app.tasks.values())
    assert visibility > app.conf.task_time_limit


def test_beat_sends_the_daily_cleanup():
    entry = app.conf.beat_schedule["daily-cleanup"]
    assert entry["task"] == "core.tasks.cleanup"
    assert entry["task"] in app.tasks
    assert str(entry["schedule"]) == "<crontab: 0 3 * * * (m/h/dM/MY/d)>"


def run_check(**env: str) -> subprocess.CompletedProcess:
    """``manage.py check`` in a fresh process with only these broker variables."""
    clean = {k: v for k, v in os.environ.items() if k not in BROKER_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_a_broker_the_log_says_tasks_run_in_process():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert "background tasks run eagerly, in-process" in result.stderr


def test_with_redis_tasks_go_to_a_worker_and_nothing_is_said():
    result = run_check(REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 0, result.stderr
    assert "eagerly" not in result.stderr


def test_a_visibility_timeout_shorter_than_a_retry_delay_is_refused():
    result = run_check(REDIS_URL="redis://127.0.0.1:1/0", CELERY_VISIBILITY_TIMEOUT="600")
    assert result.returncode != 0
    assert result.stderr.strip().startswith("CELERY_VISIBILITY_TIMEOUT must be longer")
