"""
Background-task plumbing shared by every app: queuing after the commit, the
retry policy of mail, and the request id and Prometheus counts of each task.

Apps declare their tasks in their own ``tasks.py`` with ``@shared_task``;
the signal receivers here are connected by ``CoreConfig.ready``.
"""

import logging
import os
import smtplib
import time
from collections.abc import Callable
from typing import Any

from celery import Task
from celery.signals import (
    before_task_publish,
    celeryd_init,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
    worker_process_shutdown,
    worker_ready,
)
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import OperationalError
from prometheus_client import Counter

from core.logging import request_id_var
from core.prometheus import forget_metrics_process, prepare_metrics_directory

logger = logging.getLogger(__name__)

#: Message headers set when a task is first queued; retries carry them on.
REQUEST_ID_HEADER = "request_id"
QUEUED_AT_HEADER = "queued_at"

TASKS = Counter(
    "celery_tasks_total",
    "Tasks run by the workers, by task name and outcome (succeeded, retried, failed).",
    ["task", "outcome"],
)


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """
    Queue ``task`` once the current transaction commits (at once outside one).

    A broker that cannot be reached is logged, not raised: the caller's work
    is done and its answer must not turn into a 500.
    """

    def send() -> None:
        try:
            task.apply_async(kwargs=kwargs)
        except OperationalError:
            logger.exception("Could not queue %s: the broker is unreachable", task.name)

    transaction.on_commit(send)


# --- Mail -----------------------------------------------------------------------

#: Worth another try: the mail server or the network may be back later.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


class MailNotDelivered(Exception):
    """A mail given up on: raised so the task fails, is logged and reaches Sentry."""


def mail_retry_delay(exc: Exception, *, retries: int, waited: float) -> int | None:
    """
    Seconds before the next try of a failed send, or ``None`` to give up.

    Exponential from ``MAIL_RETRY_BACKOFF``, fully jittered (so workers do not
    all return at once), capped at ``MAIL_RETRY_BACKOFF_MAX``; given up
    ``MAIL_RETRY_FOR`` seconds after the mail was queued, or at once when the
    server refused every recipient for good (5xx).
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in exc.recipients.values()
    ):
        return None
    if waited >= settings.MAIL_RETRY_FOR:
        return None
    return get_exponential_backoff_interval(
        factor=settings.MAIL_RETRY_BACKOFF,
        retries=retries,
        maximum=settings.MAIL_RETRY_BACKOFF_MAX,
        full_jitter=True,
    )


class MailTask(Task):
    """
    Base of the tasks that send mail: SMTP and connection errors are retried
    (``mail_retry_delay``); a mail given up on fails the task with
    ``MailNotDelivered``. Run eagerly (no broker) there is no worker to retry
    later, so it fails at once.
    """

    # No count limit: ``mail_retry_delay`` decides when to give up, by time.
    # Celery's default (3) would drop the mail after four tries, a minute or
    # two into an outage; ``retry(max_retries=None)`` falls back to it.
    max_retries = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except TRANSIENT_MAIL_ERRORS as exc:
            tries = self.request.retries + 1
            queued_at = float(getattr(self.request, QUEUED_AT_HEADER, None) or time.time())
            waited = time.time() - queued_at
            delay = mail_retry_delay(exc, retries=self.request.retries, waited=waited)
            if delay is None or self.request.is_eager:
                raise MailNotDelivered(
                    f"Gave up sending {self.name} after {tries} tries over {waited:.0f} s: {exc!r}"
                ) from exc
            logger.warning(
                "Could not send %s (try %d): %r; trying again in %d s", self.name, tries, exc, delay
            )
            raise self.retry(exc=exc, countdown=delay) from exc


def send_once(send_id: str, send: Callable[[], object]) -> bool:
    """
    Call ``send`` unless a send with this id already went out; say whether it was called.

    A redelivered task (its worker died after sending, before acknowledging)
    finds the marker and sends nothing. The marker lives in the cache (Redis
    with a broker), for longer than any retry goes on.
    """
    key = f"mail-sent:{send_id}"
    if cache.get(key):
        logger.info("Mail %s was already sent; not sending it again", send_id)
        return False
    send()
    cache.set(key, 1, timeout=settings.MAIL_RETRY_FOR * 2)
    return True


# --- Request id and metrics -------------------------------------------------------


@before_task_publish.connect
def stamp_headers(body: tuple, headers: dict, **kwargs: Any) -> None:
    """
    The request that queued a task, and when: a retry keeps the first values.

    And what the worker logs of its arguments: the names, never the values
    (an address is personal data), on every message, a retry's included.
    """
    headers.setdefault(REQUEST_ID_HEADER, request_id_var.get())
    headers.setdefault(QUEUED_AT_HEADER, time.time())
    args, task_kwargs, _ = body
    headers["argsrepr"] = repr(tuple("…" for _ in args))
    headers["kwargsrepr"] = repr(dict.fromkeys(task_kwargs, "…"))


@task_prerun.connect
def adopt_request_id(task: Task, **kwargs: Any) -> None:
    """Log the task's lines under the id of the request that queued it."""
    request_id = getattr(task.request, REQUEST_ID_HEADER, None)
    if request_id:
        # Our own attribute on the task's context, read back by drop_request_id.
        task.request.request_id_token = request_id_var.set(request_id)  # type: ignore[attr-defined]


@task_postrun.connect
def drop_request_id(task: Task, **kwargs: Any) -> None:
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        request_id_var.reset(token)


@task_success.connect
def count_success(sender: Task, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "succeeded").inc()


@task_retry.connect
def count_retry(sender: Task, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "retried").inc()


@task_failure.connect
def count_failure(sender: Task, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "failed").inc()


@celeryd_init.connect
def empty_metrics_directory(**kwargs: Any) -> None:
    """Stale files from an earlier run would add old counts (as in gunicorn.conf.py)."""
    if os.environ.get("WORKER_METRICS_PORT", "").strip():
        prepare_metrics_directory(empty=True)


@worker_ready.connect
def serve_worker_metrics(**kwargs: Any) -> None:
    """
    With ``WORKER_METRICS_PORT`` set, the worker serves its own ``/metrics``.

    The pool processes count into PROMETHEUS_MULTIPROC_DIR (required then)
    and this endpoint, in the worker's main process, adds them up.
    """
    port = os.environ.get("WORKER_METRICS_PORT", "").strip()
    if not port:
        return
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    address = os.environ.get("WORKER_METRICS_ADDR", "0.0.0.0")  # noqa: S104 (inside the container)
    start_http_server(int(port), addr=address, registry=registry)
    logger.info("Worker metrics on port %s", port)


@worker_process_shutdown.connect
def forget_pool_process(pid: int | None = None, **kwargs: Any) -> None:
    forget_metrics_process(pid or os.getpid())


def log_eager_mode() -> None:
    """Say at start-up when tasks run inside the process that queues them."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        logger.warning(
            "No CELERY_BROKER_URL or REDIS_URL: background tasks run eagerly, in-process "
            "(mail is sent inside the request and not retried). Set REDIS_URL and run "
            "a worker (make worker) for production."
        )
