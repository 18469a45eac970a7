"""
The system-test harness: real processes on loopback, every one stopped.

Behaviour that depends on the server (several workers and instances racing,
a database or Redis going away, signals, settings fixed at start-up) cannot
be seen through APIClient. Live servers are separate processes and cannot see
pytest-django's test transaction, so each gets a database of its own, cloned
from one migrated template. Everything started here is stopped by its
``Stack``'s ``close()``, even when a test fails, and every wait has a
deadline. Everything listens on 127.0.0.1 only.

Fixtures (tests/conftest.py): ``stack`` (a ``Stack``: processes and services,
no database needed), ``live`` and ``live_module`` (a ``LiveStack``: a
``Stack`` plus template-cloned databases on the run's PostgreSQL, per test
or per module), ``sentry_ingest``.

Modules:

- ``processes``: ``ManagedProcess`` (any program: started with an env in its
  own session, output in files, ``wait_ready``/``wait_for``, ``begin_stop``,
  ``stop`` (graceful or quick signal, then SIGKILL to the group), ``kill``,
  ``finish``), ``wait_until``, ``free_port``, ``port_open``, ``manage``.
- ``environment``: ``server_env(database_url, **overrides)``, the production
  settings every server process of the tests runs with; ``requires_*`` marks.
- ``stack``: ``Stack.start(args, env=..., name=..., ready=...)`` for any
  process, ``server``/``servers_for`` (gunicorn), ``celery_worker``,
  ``smtp_sink``, ``redis``,
  ``postgres_cluster``, ``callback``; ``LiveStack.database()``.
- ``services``: ``RedisServer`` and ``PostgresCluster``, throwaway servers.
- ``gunicorn``: ``Server``; ``api``: ``call``, ``concurrently``, ``sign_up``...
- ``databases``: template and clones, ``RowLock``; ``wsgi``: Python children
  calling ``config.wsgi`` directly; ``sinks``: ``LoopbackSink``, ``SentryIngest``,
  ``SmtpSink`` (aiosmtpd); ``workers``: ``CeleryWorker``.

A Celery worker and a mail server for it, against a throwaway Redis::

    redis, sink = live.redis(), live.smtp_sink()
    env = server_env(
        live.database(), REDIS_URL=redis.url, CELERY_TASK_ALWAYS_EAGER="false",
        **sink.mail_env(),
    )
    worker = live.celery_worker(env)  # ``workers``: ``CeleryWorker``
    ...
    worker.stop(graceful=True)  # Celery's warm shutdown; or worker.kill(): kill -9

Any other process with the server environment is ``live.start(args, env=...,
name=..., ready=...)``. Another loopback sink subclasses ``LoopbackSink`` with
a ``socketserver`` handler and goes into the server environment as overrides.
"""

from tests.live.api import (
    HEALTH,
    ME,
    PASSWORD,
    REFRESH,
    REGISTER,
    TODOS,
    TOKEN,
    Account,
    Reply,
    call,
    concurrently,
    create_todo,
    fresh_ip,
    sign_up,
    todo_id,
)
from tests.live.databases import RowLock, drop_database, migrate_template
from tests.live.environment import (
    DATABASE_URL,
    REDIS_URL,
    SECRET_KEY,
    requires_postgres,
    server_env,
)
from tests.live.gunicorn import Server
from tests.live.processes import (
    HOST,
    REPO_ROOT,
    ManagedProcess,
    free_port,
    manage,
    manage_command,
    port_open,
    wait_until,
)
from tests.live.services import PostgresCluster, RedisServer
from tests.live.sinks import LoopbackSink, SentryIngest, SmtpSink
from tests.live.stack import LiveStack, Stack
from tests.live.workers import CeleryWorker
from tests.live.wsgi import child_env, run_wsgi, start_wsgi

__all__ = [
    "DATABASE_URL",
    "HEALTH",
    "HOST",
    "ME",
    "PASSWORD",
    "REDIS_URL",
    "REFRESH",
    "REGISTER",
    "REPO_ROOT",
    "SECRET_KEY",
    "TODOS",
    "TOKEN",
    "Account",
    "CeleryWorker",
    "LiveStack",
    "LoopbackSink",
    "ManagedProcess",
    "PostgresCluster",
    "RedisServer",
    "Reply",
    "RowLock",
    "SentryIngest",
    "Server",
    "SmtpSink",
    "Stack",
    "call",
    "child_env",
    "concurrently",
    "create_todo",
    "drop_database",
    "free_port",
    "fresh_ip",
    "manage",
    "manage_command",
    "migrate_template",
    "port_open",
    "requires_postgres",
    "run_wsgi",
    "server_env",
    "sign_up",
    "start_wsgi",
    "todo_id",
    "wait_until",
]
