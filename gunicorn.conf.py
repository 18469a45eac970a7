"""
Gunicorn settings for the todo service (read by the image's CMD:
``gunicorn --config gunicorn.conf.py config.wsgi:application``).

Every value can be tuned per deployment through the environment; the defaults
suit a small container of one or two cores.
"""

import os

from gunicorn.glogging import Logger

from core.logging import SecretPathFilter
from core.metrics import forget_metrics_process, prepare_metrics_directory
from core.paths import mask_secret_paths


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    # Honour a CPU-limited container (cgroup affinity), not the host's core count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# --- Binding ----------------------------------------------------------------
bind = f"0.0.0.0:{_int_env('PORT', 8000)}"

# --- Workers ----------------------------------------------------------------
# Platforms (Heroku-style, Railway, Fly) set WEB_CONCURRENCY to size the pool;
# otherwise the classic 2 * cores + 1, capped so a big host does not spawn a
# pool the database connections cannot feed.
workers = _int_env("WEB_CONCURRENCY", min(2 * _cores() + 1, 9))

# gthread with 4 threads: on 2 cores it served about 2x the requests of sync
# workers (authenticated todo list: 84 vs 36 req/s at 8 connections, 103 vs 45
# at 32; /health: 1317 vs 717), see docs/deploy.md. It also keeps connections
# alive and a slow client no longer pins a whole worker process. Each thread
# may hold a database connection: workers * threads per instance.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int_env("GUNICORN_THREADS", 4)

# The application is imported once, in the master, and each worker is a fork
# of it: a worker (re)started after max_requests costs a fork, not the ~0.4 s
# of CPU an import of Django and the project takes (core/warmup.py). Nothing opens a database
# or Redis connection at import, so no socket is shared across the fork.
preload_app = True

# --- Timeouts and recycling -------------------------------------------------
timeout = _int_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 25)
keepalive = 5
# Recycling is a safety net for a slow leak, kept rare: a worker's RSS is flat
# over 22,000 requests (docs/benchmarks.md), and each recycle costs a fork,
# fresh database and Redis connections (a new PostgreSQL backend each, with
# cold caches) and another set of Prometheus files that /metrics reads until
# the next restart. Every 1,000 requests it cost throughput at 400-500 req/s
# (docs/benchmarks.md); 0 turns it off. The jitter (10 %) keeps workers from
# restarting together.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 100_000)
max_requests_jitter = _int_env("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)

# Heartbeat files on tmpfs: a disk-backed /tmp can stall workers on busy hosts.
_SHM = "/dev/shm"  # noqa: S108 - only gunicorn's heartbeat files go there
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# No runtime control socket (gunicornc): nothing in a container uses it, and
# its default home-directory path is not writable by the service user.
control_socket_disable = True

# --- Proxy ------------------------------------------------------------------
# The platform's proxy terminates TLS; the container is only reachable through
# it. Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), so gunicorn
# does too, keeping wsgi.url_scheme consistent with request.is_secure().
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

# --- Logging: to the container's output, the platform collects it -----------
# The app writes one access line per request itself (logger config.access,
# with the request id; docs/observability.md), so gunicorn's own access log is
# off by default to avoid logging every request twice. GUNICORN_ACCESS_LOG=-
# turns it on, to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


class SecretMaskingLogger(Logger):
    """gunicorn's logger, with a key in any path masked, as the app's logs have it."""

    def __init__(self, cfg):
        super().__init__(cfg)
        # Its own lines name paths too: "Invalid HTTP request line: 'GET /calendar/…'",
        # "Error handling request GET /reminders/unsubscribe/…/".
        if not any(isinstance(f, SecretPathFilter) for f in self.error_log.filters):
            self.error_log.addFilter(SecretPathFilter())

    def atoms(self, resp, req, environ, request_time):
        # Every atom: the request line and path, and the headers (a Referer) a format may name.
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: mask_secret_paths(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


logger_class = SecretMaskingLogger
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


# --- Prometheus metrics across workers ----------------------------------------
# Stale files from an earlier run would add old counts, so the directory is
# emptied when gunicorn starts, and a dead worker's live gauges are dropped.
def on_starting(server):
    prepare_metrics_directory(empty=True)


def child_exit(server, worker):
    forget_metrics_process(worker.pid)


# --- No server banner ---------------------------------------------------------
# Gunicorn has no setting to drop its "Server: gunicorn" response header; filter
# it out of the headers it writes. Guarded so a gunicorn that changes this
# internal keeps working (and just keeps its banner).
try:
    from gunicorn.http import wsgi as _gunicorn_wsgi

    _default_headers = _gunicorn_wsgi.Response.default_headers

    def _headers_without_banner(self):
        return [h for h in _default_headers(self) if not h.lower().startswith("server:")]

    _gunicorn_wsgi.Response.default_headers = _headers_without_banner
except (ImportError, AttributeError):  # pragma: no cover
    pass
