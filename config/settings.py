"""
Settings for the todo service.

Everything that differs between environments is read from the environment
(12-factor). Defaults are safe: debug is off, and with debug off the service
refuses to start without a real secret key.
"""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from corsheaders.defaults import default_headers as default_cors_headers
from csp.constants import NONE, SELF

from core.logging import build_logging
from core.metrics import prepare_metrics_directory
from core.paths import API_PREFIX, PROBE_REDIRECT_EXEMPT

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    if not DEBUG:
        sys.exit(
            "DJANGO_SECRET_KEY must be set to at least 50 random characters when "
            "DJANGO_DEBUG is off (generate one with: python -c "
            '"import secrets; print(secrets.token_urlsafe(64))").'
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production-0123"  # noqa: S105

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"http://{host}:8000" for host in LOCAL_HOSTS] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Index expressions with an operator class (the trigram search indexes);
    # harmless on SQLite.
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "core",
    "accounts",
    "lists",
    "todos",
    "reminders",
    "calendars",
    "portability",
]

MIDDLEWARE = [
    # Outermost: every request gets an id and one log line, /health included.
    "core.middleware.RequestLogMiddleware",
    # The security headers go on every answer, probes' included; the HTTPS
    # redirect spares the probes (SECURE_REDIRECT_EXEMPT).
    "django.middleware.security.SecurityMiddleware",
    # No Referer from a page whose address is a key (Referrer-Policy: no-referrer).
    "core.middleware.SecretPathReferrerMiddleware",
    # Content-Security-Policy on every answer (pages that need another, the
    # API docs, set their own and keep it).
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # /metrics, like /health, is answered before host validation.
    "core.middleware.MetricsMiddleware",
    "core.middleware.HealthCheckMiddleware",
    # Counts requests from here on: scrapes and health probes are not traffic.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "core.middleware.ApiTrailingSlashMiddleware",
    # The pages' sessions, sign-in, messages and htmx: Django's and
    # django-htmx's, which the API's endpoints (/api/v1/, bearer tokens) skip.
    "core.middleware.PageSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.middleware.PageAuthenticationMiddleware",
    "core.middleware.PageMessageMiddleware",
    # A signed-in person's pages are theirs: kept by no cache, shared or not.
    "core.middleware.PrivatePagesMiddleware",
    # request.htmx: the pages answer htmx requests with partial templates.
    "core.middleware.PageHtmxMiddleware",
    # A domain error raised under a page (a viewer's crafted post: 403) is its error page.
    "core.middleware.ApplicationErrorPageMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

# Persistent connections, checked before reuse so a restarted database is
# picked up again without restarting the service (on PostgreSQL the check asks
# the socket, not the server: core/db/postgresql/base.py).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast while the database is unreachable instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )
# The same backends wrapped by django-prometheus: queries, connections and
# database errors are counted (the vendor stays "postgresql" / "sqlite").
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "core.db.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

# With REDIS_URL the cache, and so every throttle count, is shared by all
# workers and instances. A Redis outage degrades throttling; it never fails
# a request (the error is logged by django-redis).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (Celery) ----------------------------------------------

# Redis is the broker and the result store. Without one (the embedded
# default) tasks run eagerly, inside the process that queues them: nothing to
# start, but mail is then sent inside the request and a failed send is not
# retried. With a broker, `celery -A config worker` runs them (make worker).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or CELERY_BROKER_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Our tasks are fire-and-forget: nobody waits on their results, so none are
# stored (and queuing never touches the result store).
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
# A task is acknowledged once it has run, and a worker that dies mid-task
# (kill -9, out of memory) gives it back: the next worker runs it again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each process takes one task at a time, so a long one holds up no other.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is stopped after these many seconds (soft: an exception it can
# handle; hard: the process is killed); tasks may set shorter ones.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 330)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing gives up within about a second while Redis is away (the caller logs it).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_WORKER_SEND_TASK_EVENTS = True

# Mail is retried on SMTP and connection errors: exponential backoff from
# MAIL_RETRY_BACKOFF seconds, full jitter, capped at MAIL_RETRY_BACKOFF_MAX,
# for MAIL_RETRY_FOR seconds after it was queued; then it is logged as lost.
MAIL_RETRY_BACKOFF = env_int("MAIL_RETRY_BACKOFF", 15)
MAIL_RETRY_BACKOFF_MAX = env_int("MAIL_RETRY_BACKOFF_MAX", 600)
MAIL_RETRY_FOR = env_int("MAIL_RETRY_FOR", 60 * 60 * 24)
# A sign-up with a taken address mails its owner at most once in this many
# seconds, however many sign-ups a flood sends.
SIGN_UP_ATTEMPT_MAIL_INTERVAL = env_int("SIGN_UP_ATTEMPT_MAIL_INTERVAL", 60 * 60)

# Redis hands a task nobody acknowledged to another worker after this many
# seconds. Retries wait in a worker's memory unacknowledged until they are
# due, so it must outlast the longest retry delay and the longest task, or a
# retry would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 60 * 60)
if max(MAIL_RETRY_BACKOFF_MAX, CELERY_TASK_TIME_LIMIT) >= CELERY_VISIBILITY_TIMEOUT:
    sys.exit(
        "CELERY_VISIBILITY_TIMEOUT must be longer than MAIL_RETRY_BACKOFF_MAX and "
        "CELERY_TASK_TIME_LIMIT, or delayed retries are handed out twice."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Fail fast while Redis is away, like the cache does.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}

# Periodic tasks, sent by `celery -A config beat` (exactly one beat process),
# which keeps their last run times in a file outside the (read-only) code.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(Path(tempfile.gettempdir()) / "todo-celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "daily-cleanup": {
        "task": "core.tasks.cleanup",
        "schedule": crontab(hour=3, minute=0),
    },
    # Claims and mails the reminders due since the last pass (each person's
    # once a local day, however many passes run): a mail is at most this late.
    "reminders": {
        "task": "reminders.tasks.send_due_reminders",
        "schedule": crontab(minute=f"*/{env_int('REMINDER_PASS_MINUTES', 5)}"),
    },
    # Queues again the account deletions whose job was lost (ACCOUNT_ERASE_OVERDUE_AFTER).
    "erase-overdue-accounts": {
        "task": "accounts.tasks.erase_overdue_accounts",
        "schedule": crontab(minute=30),
    },
}

# --- Authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The web pages' session sign-in (the API uses bearer tokens).
LOGIN_URL = "accounts_web:login"
LOGIN_REDIRECT_URL = "todos_web:list"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)
# The calendar feed's bound: the open todos due from this many days before the
# person's today on, the earliest first, at most this many events.
CALENDAR_FEED_PAST_DAYS = env_int("CALENDAR_FEED_PAST_DAYS", 90)
CALENDAR_FEED_MAX_EVENTS = env_int("CALENDAR_FEED_MAX_EVENTS", 1000)
# Rows the account deletion job deletes per transaction (DELETE auth/me/).
ACCOUNT_ERASE_BATCH_SIZE = env_int("ACCOUNT_ERASE_BATCH_SIZE", 1000)
# Seconds after which an account asked to be deleted and still there has its
# job queued again by beat's hourly sweep (the first was lost).
ACCOUNT_ERASE_OVERDUE_AFTER = env_int("ACCOUNT_ERASE_OVERDUE_AFTER", 60 * 60)
# Link put into reset emails; {uid} and {token} are filled in. Empty: the
# email carries the two values for the client to send to the confirm endpoint.
PASSWORD_RESET_URL = os.environ.get("PASSWORD_RESET_URL", "")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    # Tokens carry a hash of the password hash: changing the password
    # invalidates every access token issued before.
    "CHECK_REVOKE_TOKEN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": SECRET_KEY,
    "ALGORITHM": "HS256",
}

# --- REST framework ---------------------------------------------------------

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's, the token's user read by SQL compiled once.
        "core.api.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.SafeJSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.QueryFilterBackend",
        "core.api.filters.FieldSearchFilter",
        "core.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_RATE_ANON", "100/min"),
        "user": os.environ.get("THROTTLE_RATE_USER", "5000/hour"),
        "auth": os.environ.get("THROTTLE_RATE_AUTH", "10/min"),
        # Per calendar feed, whoever polls it (calendar apps poll every few minutes to hours).
        "calendar": os.environ.get("THROTTLE_RATE_CALENDAR", "120/hour"),
        # Per user, over the invitations they send to lists they own.
        "invite": os.environ.get("THROTTLE_RATE_INVITE", "20/hour"),
    },
    # 0: the socket address is the client, so a forged X-Forwarded-For
    # cannot dodge a throttle. Set to the number of proxies in front.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    # The API versions served (the path's): the schema view takes ?version= from these only.
    "ALLOWED_VERSIONS": ["v1"],
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# A create retried with the Idempotency-Key of a request still being processed
# waits this many seconds for it to finish (then replays its answer); past
# that it is answered 409. PostgreSQL only (SQLite runs one writer at a time).
IDEMPOTENCY_KEY_WAIT = env_int("IDEMPOTENCY_KEY_WAIT", 5)

# Largest request body read (1 MiB); the API answers 413 above it, unparsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Export and import (portability) -------------------------------------------

# Rows the export reads from the database, and writes out, at a time: its memory.
EXPORT_CHUNK_SIZE = env_int("EXPORT_CHUNK_SIZE", 2000)
# An import's largest body (413 above it, unread) and most todos (400 above).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_TODOS = env_int("IMPORT_MAX_TODOS", 10_000)

SPECTACULAR_SETTINGS = {
    "TITLE": "Todo API",
    "DESCRIPTION": "Each user's own todos behind JWT authentication.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # An enum's values say what they are; listing each again in the description
    # would repeat the ~600 time zone names twice over.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # The two sets of list roles: any role, and those an owner gives to others.
    "ENUM_NAME_OVERRIDES": {
        "ListRoleEnum": "lists.models.Role",
        "SharedRoleEnum": "lists.models.SHARED_ROLE_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.allow_empty_query_values",
        "core.api.schema.refuse_nul_in_query_strings",
        "core.api.schema.name_enum_values",
    ],
}

# --- CORS -------------------------------------------------------------------

CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS",
    ["http://localhost:3000", "http://127.0.0.1:3000"] if DEBUG else [],
)
CORS_URLS_REGEX = rf"^{API_PREFIX}"
# Browsers may send the conditional and idempotency headers, and read back
# what the API answers with them.
CORS_ALLOW_HEADERS = (
    *default_cors_headers,
    "if-match",
    "if-none-match",
    "idempotency-key",
    "x-request-id",
)
CORS_EXPOSE_HEADERS = ["ETag", "Idempotent-Replayed", "Retry-After", "X-Request-ID"]

# --- Security (effective with debug off) ------------------------------------

# The platform terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Platform probes and scrapers talk plain http to the container (core/middleware.py).
SECURE_REDIRECT_EXEMPT = PROBE_REDIRECT_EXEMPT
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not SECURE_SSL_REDIRECT:
    # Deliberately plain-http deployments (a local compose stack) are not
    # flagged by `check --deploy` for the redirect they turned off.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

# A strict policy for every HTML page: nothing from another origin, no
# inline script or style, no framing. The API docs answer with their own
# (core/views/docs.py), which the middleware leaves in place.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
# A refused form (a stale or missing CSRF token) is a page with a way back.
CSRF_FAILURE_VIEW = "core.views.pages.csrf_failure"

# --- Email ------------------------------------------------------------------

# The service's public address, for the links in mail sent by the workers
# (which answer no request to take a host from), e.g. https://todo.example.com;
# unset: the first allowed host over https (a pattern such as .example.com is
# no address), or the development server in debug.
_FIRST_HOST = ALLOWED_HOSTS[0] if ALLOWED_HOSTS else ""
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or (
    f"https://{_FIRST_HOST}"
    if _FIRST_HOST and not _FIRST_HOST.startswith((".", "*")) and not DEBUG
    else "http://127.0.0.1:8000"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "todo@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation and static files ----------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The service speaks English and marks no string for translation: off, so no
# catalog is loaded. Turn on with the strings marked and LocaleMiddleware.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# The web app's stylesheet, script and vendored htmx (apps keep their own).
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logging ----------------------------------------------------------------

# One JSON object per line in production, readable text in debug; every line
# carries the request id (core/logging.py, docs/observability.md).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
LOGGING = build_logging(json_format=not DEBUG, level=LOG_LEVEL)

# --- Observability ----------------------------------------------------------

# Errors go to Sentry only when SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from core.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "").strip(),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "").strip() or 0),
    )

# /metrics answers a direct client on a private or loopback address, or anyone
# sending "Authorization: Bearer <METRICS_TOKEN>"; everyone else gets a 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
# Gunicorn workers each count on their own: with PROMETHEUS_MULTIPROC_DIR set
# (before the workers fork) they write to files there and /metrics sums them.
prepare_metrics_directory()
