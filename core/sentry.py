"""
Error reporting to Sentry, when ``SENTRY_DSN`` is set.

Nothing here reads settings at import time: ``init_sentry`` is called while
the settings module itself is being loaded.
"""

import sentry_sdk
from sentry_sdk.types import Event, Hint

from core.logging import ACCESS_LOGGER
from core.paths import PROBE_PATHS, mask_secret_paths


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """
    Report unhandled exceptions (and ERROR log lines) to Sentry.

    No personal data, no request bodies and no stack frames' variables (they
    carry passwords, tokens and addresses; Sentry's scrubber only knows names).
    Tracing stays off at rate 0; above 0 our own rate decides, never a caller's
    ``sentry-trace`` header, so the internet cannot spend the trace quota. A
    path that is itself a key (a calendar feed, an unsubscribe link) is sent
    masked, as the access log shows it.
    """
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    def traces_sampler(context: dict) -> float:
        environ = context.get("wsgi_environ") or {}
        return 0.0 if environ.get("PATH_INFO") in PROBE_PATHS else traces_sample_rate

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sampler=traces_sampler if traces_sample_rate > 0 else None,
        before_send=mask_event_request,
        before_send_transaction=mask_event_request,
    )
    # A 5xx is reported once, as its exception, not again as its access line;
    # bad Host headers from scanners are logged, not worth an alert each.
    ignore_logger(ACCESS_LOGGER)
    ignore_logger("django.security.DisallowedHost")


def mask_event_request(event: Event, hint: Hint) -> Event:
    """
    The event's request URL, and its headers (a ``Referer`` names the page
    before), with a key in a path masked (``core.paths.mask_secret_paths``).
    """
    request = event.get("request") or {}
    url = request.get("url")
    if isinstance(url, str):
        request["url"] = mask_secret_paths(url)
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: mask_secret_paths(value) if isinstance(value, str) else value
            for name, value in headers.items()
        }
    return event
