"""The environment a server process of the tests runs with, and what the run brings."""

import os
import secrets

import dj_database_url
import pytest

# One signing key for every server of a run: a token issued by one instance
# must verify on another, as in a real deployment.
SECRET_KEY = secrets.token_urlsafe(64)
UNLIMITED = "100000/min"

# The databases of the test run itself; live databases are created next to it.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

# Settings a developer's shell may carry that would change what a server does
# (debug, Sentry delivery, metrics, log level): never passed on.
NOT_INHERITED = ("DJANGO_", "SENTRY_", "PROMETHEUS_", "METRICS_", "LOG_LEVEL")


def is_postgres(url: str) -> bool:
    return bool(url) and dj_database_url.parse(url)["ENGINE"] == "django.db.backends.postgresql"


requires_postgres = pytest.mark.skipif(
    not is_postgres(DATABASE_URL),
    reason="live test: gunicorn processes share one database and need its row locks, "
    "so set DATABASE_URL=postgres://... (SQLite cannot serve them)",
)


def server_env(database_url: str, **overrides: str | None) -> dict[str, str]:
    """
    Production settings (debug off, throttles out of the way) on
    ``database_url``, for gunicorn, a Celery worker or any child process that
    loads ``config.settings``. ``REDIS_URL`` is the run's unless overridden;
    an override of ``None`` removes a variable.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(NOT_INHERITED)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        THROTTLE_RATE_USER=UNLIMITED,
        THROTTLE_RATE_ANON=UNLIMITED,
        THROTTLE_RATE_AUTH=UNLIMITED,
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env
