"""
Databases on the run's PostgreSQL server (``DATABASE_URL``): one migrated
template per run, a fast clone of it per live server, and row locks held
like a slow writer would.
"""

import contextlib
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.live.environment import DATABASE_URL, server_env
from tests.live.processes import manage, wait_until


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
        (row,) = self.observer.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchall()
        return row[0]

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
