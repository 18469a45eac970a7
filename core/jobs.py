"""
Background-task plumbing every app uses: the base class of every task and of
the tasks that send mail, and sending a mail once.

Apps declare their tasks in their own ``tasks.py`` with ``@shared_task``
(``base=MailTask`` for mail); every other task gets ``Task``, the Celery app's
``task_cls``. Services queue them with ``task.delay_on_commit(...)``.
"""

import functools
import logging
import smtplib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from celery.contrib.django.task import DjangoTask
from celery.signals import before_task_publish
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import OperationalError

from core.logging import request_id_var

logger = logging.getLogger(__name__)

#: Message headers set when a task is first queued; retries carry them on.
REQUEST_ID_HEADER = "request_id"
QUEUED_AT_HEADER = "queued_at"


def hidden_arguments(args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[str, str]:
    """What Celery logs of a task's arguments: the names, never the values (an address)."""
    return repr(tuple("…" for _ in args)), repr(dict.fromkeys(kwargs, "…"))


class Task(DjangoTask):
    """
    The base of every task: queued after the commit, its log lines under the
    id of the request that queued it, its arguments' values in no log line.
    """

    # The stubs say it returns a result; Celery's returns None, like this one.
    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """
        Queue the task once the current transaction commits (at once outside one).

        Celery's own, except that a broker that cannot be reached is logged,
        not raised: the caller's work is done and its answer must not turn
        into a 500.
        """
        transaction.on_commit(functools.partial(self._send_or_log, args, kwargs))

    def _send_or_log(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            self.apply_async(args, kwargs)
        except OperationalError:
            logger.exception("Could not queue %s: the broker is unreachable", self.name)

    def before_start(self, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """
        Hide the arguments from the lines Celery logs for this run (succeeded,
        failed, retried): a message's headers already do (``stamp_headers``),
        but a task run eagerly has no message. In a worker, log under the
        queuing request's id (none for beat's): a pool process runs one task
        at a time, so the id holds until the next task sets its own.
        """
        # Read back by Celery's tracer (``request.get("argsrepr")``); not in the stubs' Context.
        hidden_args, hidden_kwargs = hidden_arguments(args, kwargs)
        self.request.argsrepr = hidden_args  # type: ignore[attr-defined]
        self.request.kwargsrepr = hidden_kwargs  # type: ignore[attr-defined]
        if not self.request.is_eager:
            request_id_var.set(getattr(self.request, REQUEST_ID_HEADER, None) or "-")


@before_task_publish.connect
def stamp_headers(body: tuple, headers: dict, **kwargs: Any) -> None:
    """
    The request that queued a task, and when: a retry keeps the first values.

    And what the worker logs of its arguments when it receives the message:
    the names, never the values, on every message, a retry's included.
    """
    headers.setdefault(REQUEST_ID_HEADER, request_id_var.get())
    headers.setdefault(QUEUED_AT_HEADER, time.time())
    args, task_kwargs, _ = body
    headers["argsrepr"], headers["kwargsrepr"] = hidden_arguments(args, task_kwargs)


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


def log_eager_mode() -> None:
    """Say at start-up when tasks run inside the process that queues them."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        logger.warning(
            "No CELERY_BROKER_URL or REDIS_URL: background tasks run eagerly, in-process "
            "(mail is sent inside the request and not retried). Set REDIS_URL and run "
            "a worker (make worker) for production."
        )
