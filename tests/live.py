"""
Real servers for the live tests: gunicorn, PostgreSQL databases and clusters,
and Redis, all on loopback.

Behaviour that depends on the server (several workers and instances racing,
a database or Redis going away, signals) cannot be seen through APIClient.
Live servers are separate processes and cannot see pytest-django's test
transaction, so each gets a database of its own, cloned from one migrated
template. Every process started here is stopped by ``LiveStack.close()``,
even when a test fails, and every wait has a deadline.
"""

import base64
import contextlib
import http.client
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from threading import Barrier
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
from psycopg import sql

REPO_ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# One signing key for every server of a run: a token issued by one instance
# must verify on another, as in a real deployment.
SECRET_KEY = secrets.token_urlsafe(64)
PASSWORD = "a-long-passphrase-for-live-tests-1815"
UNLIMITED = "100000/min"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/auth/me/"
TODOS = "/api/v1/todos/"
HEALTH = "/health"

T = TypeVar("T")


def is_postgres(url: str) -> bool:
    return bool(url) and dj_database_url.parse(url)["ENGINE"] == "django.db.backends.postgresql"


requires_postgres = pytest.mark.skipif(
    not is_postgres(DATABASE_URL),
    reason="live test: gunicorn processes share one database and need its row locks, "
    "so set DATABASE_URL=postgres://... (SQLite cannot serve them)",
)
requires_redis = pytest.mark.skipif(
    not REDIS_URL,
    reason="live test: counting across instances needs a shared cache, set REDIS_URL=redis://...",
)


# --- Waiting ------------------------------------------------------------------


def wait_until(check: Callable[[], T], *, timeout: float, interval: float = 0.1) -> T:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"still not true after {timeout} s: {check}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fresh_ip() -> str:
    """A loopback client address no throttle has seen (all of 127/8 is local on Linux)."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


# --- HTTP ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: "Server",
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source_ip: str | None = None,
    barrier: Barrier | None = None,
    timeout: float = 30.0,
) -> Reply:
    """
    One request on a fresh connection, as the platform's TLS proxy forwards it.

    With ``barrier`` the connection is opened first and the request sent only
    once every party is connected, so concurrent requests really overlap.
    """
    conn = http.client.HTTPConnection(
        HOST, server.port, timeout=timeout, source_address=(source_ip, 0) if source_ip else None
    )
    sent_headers = {"X-Forwarded-Proto": "https", "Connection": "close", **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        sent_headers["Content-Type"] = "application/json"
    if token is not None:
        sent_headers["Authorization"] = f"Bearer {token}"
    try:
        try:
            conn.connect()
        except OSError:
            if barrier is not None:
                barrier.abort()  # the other parties fail at once instead of timing out
            raise
        if barrier is not None:
            barrier.wait()
        started = time.monotonic()
        conn.request(method, path, body=payload, headers=sent_headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.monotonic() - started
        return Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed
        )
    finally:
        conn.close()


def concurrently(
    requests: list[Callable[..., Reply]],
    *,
    meanwhile: Callable[[], None] | None = None,
    timeout: float = 60.0,
) -> list[Reply]:
    """
    Send all ``requests`` (``partial(call, ...)``) at the same moment and
    return their replies in order; ``meanwhile`` runs while they are in flight.
    """
    barrier = Barrier(len(requests), timeout=timeout)
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(request, barrier=barrier) for request in requests]
        if meanwhile is not None:
            meanwhile()
        return [future.result(timeout=timeout) for future in futures]


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    access: str
    refresh: str

    @property
    def refresh_jti(self) -> str:
        """The refresh token's id, as stored in its OutstandingToken row."""
        payload = self.refresh.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]


def sign_up(server: "Server", *, source_ip: str | None = None) -> Account:
    """Register a new user and sign in, from an address of its own (its own auth budget)."""
    source_ip = source_ip or fresh_ip()
    credentials = {"email": f"live-{uuid.uuid4().hex[:16]}@example.com", "password": PASSWORD}
    registered = call(server, "POST", REGISTER, body=credentials, source_ip=source_ip)
    assert registered.status == 201, registered
    signed_in = call(server, "POST", TOKEN, body=credentials, source_ip=source_ip)
    assert signed_in.status == 200, signed_in
    tokens = signed_in.json()
    return Account(
        registered.json()["id"], credentials["email"], tokens["access"], tokens["refresh"]
    )


def create_todo(server: "Server", account: Account, title: str) -> tuple[str, str]:
    """Create a todo; return its path and ETag."""
    created = call(server, "POST", TODOS, token=account.access, body={"title": title})
    assert created.status == 201, created
    return f"{TODOS}{created.json()['id']}/", created.headers["etag"]


def todo_id(path: str) -> int:
    """The id in a todo's path, ``/api/v1/todos/<id>/``."""
    return int(path.rstrip("/").rsplit("/", 1)[1])


# --- Processes ----------------------------------------------------------------


def executable(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"live test: `{name}` is not installed")
    return path


def server_env(database_url: str, **overrides: str | None) -> dict[str, str]:
    """Production settings (debug off) on ``database_url``; ``None`` removes a variable."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "THROTTLE_RATE_USER": UNLIMITED,
        "THROTTLE_RATE_ANON": UNLIMITED,
        "THROTTLE_RATE_AUTH": UNLIMITED,
        "PYTHONUNBUFFERED": "1",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage_command(*args: str) -> list[str]:
    return [sys.executable, str(REPO_ROOT / "manage.py"), *args]


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        manage_command(*args),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def children(pid: int) -> set[int]:
    """Live (not zombie) child processes of ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


class Server:
    """A gunicorn master and its workers serving ``config.wsgi``, logging to a file."""

    def __init__(
        self,
        env: dict[str, str],
        log_dir: Path,
        *,
        workers: int = 2,
        graceful_timeout: int | None = 10,
    ) -> None:
        """``graceful_timeout=None`` keeps the deployment's own (gunicorn.conf.py)."""
        self.port = free_port()
        self.workers = workers
        self.stopping = False
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        args = [sys.executable, "-m", "gunicorn"]
        if (REPO_ROOT / "gunicorn.conf.py").exists():
            args += ["--config", str(REPO_ROOT / "gunicorn.conf.py")]
        args += [
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            # Several masters on one machine would fight over the default path.
            "--no-control-socket",
            "config.wsgi:application",
        ]
        if graceful_timeout is not None:
            args += ["--graceful-timeout", str(graceful_timeout)]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                args,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        """Until ``/health`` answers 200 and every worker is up."""

        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError):
                return (
                    call(self, "GET", HEALTH, timeout=5).status == 200
                    and len(self.worker_pids()) == self.workers
                )
            return False

        wait_until(ready, timeout=timeout, interval=0.2)

    def worker_pids(self) -> set[int]:
        return children(self.pid)

    def begin_stop(self, *, graceful: bool = True) -> None:
        """
        Signal the master once, without waiting: SIGTERM is gunicorn's
        graceful stop, SIGINT its quick one.
        """
        if self.process.poll() is None and not self.stopping:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGINT)
            self.stopping = True

    def stop(self, timeout: float = 20) -> None:
        """Stop at once (unless a stop is under way), then kill anything left of the group."""
        self.begin_stop(graceful=False)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class RedisServer:
    """A Redis of the test's own, to kill at will."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        command = [executable("redis-server"), "--bind", HOST, "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        with (log_dir / f"redis-{self.port}.log").open("wb") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(self._answers, timeout=20)

    def _answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def postgres_bindir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``: on PATH, else Debian's newest."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    if not candidates:
        pytest.skip("live test: PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return candidates[-1].parent


class PostgresCluster:
    """
    A throwaway PostgreSQL server of the test's own, to stop and start at will.

    initdb refuses to run as root, so as root it runs as the ``postgres`` user.
    """

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.run_as: list[str] = []
        self.dir = Path(tempfile.mkdtemp(prefix="live-pg-"))
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.dir)
                pytest.skip("live test: running as root and no `postgres` user to run initdb as")
            self.run_as = [executable("runuser"), "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://live@{HOST}:{self.port}/postgres"
        try:
            self._pg("initdb", "-D", str(self.data), "-U", "live", "--auth=trust", "--no-sync")
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def _pg(self, program: str, *args: str, ok: tuple[int, ...] = (0,)) -> int:
        command = [*self.run_as, str(self.bindir / program), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode in ok, f"{program} failed:\n{result.stdout}\n{result.stderr}"
        return result.returncode

    def is_running(self) -> bool:
        # pg_ctl status: 0 running, 3 not running.
        return self._pg("pg_ctl", "-D", str(self.data), "status", ok=(0, 3)) == 0

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.dir}"
        options += " -c fsync=off"
        log = str(self.dir / "postgres.log")
        self._pg(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "30", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            if self.is_running():
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Databases ----------------------------------------------------------------


class RowLock:
    """
    ``SELECT ... FOR UPDATE`` on one row, held like a slow writer would.

    Requests sent meanwhile queue up in the database at the point where they
    touch that row; releasing the lock lets them all go at the same instant.
    That makes a race certain instead of likely, and makes a request slow.
    """

    def __init__(self, database_url: str, table: str, **where: object) -> None:
        ((column, value),) = where.items()
        self.locker = psycopg.connect(database_url, connect_timeout=5)
        self.observer = psycopg.connect(database_url, autocommit=True, connect_timeout=5)
        query = sql.SQL("SELECT 1 FROM {} WHERE {} = %s FOR UPDATE").format(
            sql.Identifier(table), sql.Identifier(column)
        )
        if self.locker.execute(query, [value]).fetchone() is None:
            self.close()
            raise LookupError(f"no {table} row with {column} = {value!r} to lock")

    def waiters(self) -> int:
        """Transactions of this database waiting for a lock (its own tests only)."""
        return self.observer.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]

    def wait_for_waiters(self, count: int, timeout: float = 30) -> None:
        wait_until(lambda: self.waiters() >= count, timeout=timeout)

    def release(self) -> None:
        self.locker.rollback()

    def release_when_queued(self, count: int) -> None:
        """Release once ``count`` requests wait behind the lock (or on a timeout)."""
        try:
            self.wait_for_waiters(count)
        finally:
            self.release()

    def close(self) -> None:
        self.locker.close()
        self.observer.close()

    def __enter__(self) -> "RowLock":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def database_url(name: str) -> str:
    """``DATABASE_URL`` with another database name."""
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))


@contextlib.contextmanager
def admin_connection() -> Iterator[psycopg.Connection]:
    with psycopg.connect(DATABASE_URL, autocommit=True, connect_timeout=5) as conn:
        yield conn


def create_database(name: str, *, template: str | None = None) -> str:
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with admin_connection() as conn:
        conn.execute(query)
    return database_url(name)


def drop_database(name: str) -> None:
    with admin_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate_template() -> str:
    """Create and migrate the database every live database is cloned from; return its name."""
    name = f"live_template_{uuid.uuid4().hex[:12]}"
    url = create_database(name)
    result = manage("migrate", "--noinput", env=server_env(url))
    if result.returncode != 0:
        drop_database(name)
        raise AssertionError(f"migrate failed:\n{result.stdout}\n{result.stderr}")
    return name


class LiveStack:
    """Everything one test (or module) started, torn down together by ``close()``."""

    def __init__(self, template: str, log_dir: Path) -> None:
        self.template = template
        self.log_dir = log_dir
        self._cleanups: list[Callable[[], None]] = []
        self.servers: list[Server] = []

    def database(self, *, empty: bool = False) -> str:
        """A new database, migrated (a template clone) unless ``empty``; returns its URL."""
        name = f"live_{uuid.uuid4().hex[:12]}"
        url = create_database(name, template=None if empty else self.template)
        self._cleanups.append(partial(drop_database, name))
        return url

    def servers_for(self, count: int, env: dict[str, str], **options: int | None) -> list[Server]:
        """``count`` instances with the same environment, started side by side."""
        servers = []
        for _ in range(count):
            server = Server(env, self.log_dir, **options)
            self.servers.append(server)
            self._cleanups.append(server.stop)
            servers.append(server)
        for server in servers:
            server.wait_ready()
        return servers

    def server(self, env: dict[str, str], **options: int | None) -> Server:
        return self.servers_for(1, env, **options)[0]

    def redis(self) -> RedisServer:
        redis = RedisServer(self.log_dir)
        self._cleanups.append(redis.kill)
        return redis

    def postgres_cluster(self) -> PostgresCluster:
        cluster = PostgresCluster()
        self._cleanups.append(cluster.destroy)
        cluster.start()
        return cluster

    def close(self) -> None:
        """Stop servers before dropping their databases; print server logs for failures."""
        errors = []
        for server in self.servers:
            server.begin_stop(graceful=False)
        for cleanup in reversed(self._cleanups):
            try:
                cleanup()
            except Exception as exc:  # keep cleaning up; the first error is raised below
                errors.append(exc)
        for server in self.servers:
            print(f"--- gunicorn on port {server.port} ---\n{server.log()[-6000:]}")
        if errors:
            raise errors[0]
