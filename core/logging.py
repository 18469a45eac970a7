"""
Logging configuration: one JSON object per line in production, readable text in
debug, and the current request's id on every line.

Kept free of Django imports so it can be loaded while settings are read (and by
a gunicorn config that wants the same format for gunicorn's own loggers).
"""

import logging
from contextvars import ContextVar

from core.paths import mask_secret_paths

#: The id of the request being handled; set by ``core.middleware.RequestLogMiddleware``.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

#: Where the one line per request goes.
ACCESS_LOGGER = "config.access"

JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """
    Stamp each record with the current request id ("-" outside a request).

    Attached to the handler rather than to a logger, so records propagating up
    from every library's logger pass through it too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class TracebackOnlyFilter(logging.Filter):
    """
    Keep only the ``django.request`` records that carry a traceback.

    Django logs a line for every response of status 400 and above, after the
    middleware has finished (so without the request id); the access line says
    the same. Uncaught exceptions are logged earlier, with the id: those stay.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return bool(record.exc_info)


class SecretPathFilter(logging.Filter):
    """
    Mask a key in any path a line carries (``core.paths.mask_secret_paths``).

    Django writes the path of a failed request into its own lines
    ("Internal Server Error: /calendar/<secret>.ics" from ``django.request``,
    "Forbidden (CSRF cookie not set.): /accounts/verify/<token>/" from
    ``django.security.csrf``), and the request it attaches is written out as
    its text, path included. On the handler, so every logger's lines pass.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad call: the handler reports it as it would
            return True
        masked = mask_secret_paths(message)
        if masked != message:
            record.msg, record.args = masked, ()
        request = getattr(record, "request", None)
        if request is not None:
            # The formatters write it out as text; no handler of ours reads the object.
            record.request = mask_secret_paths(str(request))
        return True


def _level_number(name: str) -> int:
    number = logging.getLevelNamesMapping().get(name.strip().upper())
    if number is None:
        raise ValueError(f"Unknown log level {name!r}; use DEBUG, INFO, WARNING or ERROR.")
    return number


def build_logging(*, json_format: bool, level: str = "INFO") -> dict:
    """
    The ``LOGGING`` dict: everything goes through one stderr handler at ``level``.

    Two Django loggers would repeat the per-request line (``config.access``):
    ``django.server`` (runserver's own access log) is dropped, and
    ``django.request`` keeps only tracebacks, which the access line lacks.
    """
    number = _level_number(level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
            "tracebacks_only": {"()": TracebackOnlyFilter},
            "secret_paths": {"()": SecretPathFilter},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            },
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_format else "text",
                "filters": ["request_id", "secret_paths"],
            },
            "null": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["console"], "level": number},
        "loggers": {
            # Django's default config gives "django" a handler of its own in debug;
            # clear it so its records reach the console handler once, via root.
            "django": {"handlers": [], "level": number, "propagate": True},
            "django.request": {"filters": ["tracebacks_only"]},
            "django.server": {"handlers": ["null"], "propagate": False},
        },
    }
