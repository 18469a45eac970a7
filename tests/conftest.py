"""Fixtures for the system tests (see the harness, ``tests/live``)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import (
    LiveStack,
    SentryIngest,
    Stack,
    drop_database,
    migrate_template,
)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """Processes and services of one test that needs no PostgreSQL, stopped after it."""
    processes = Stack(tmp_path)
    yield processes
    processes.close()


@pytest.fixture(scope="session")
def live_template() -> Iterator[str]:
    """One migrated database per run; live databases are fast clones of it."""
    name = migrate_template()
    yield name
    drop_database(name)


@pytest.fixture(scope="module")
def live_module(
    live_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveStack]:
    """Servers and databases shared by one module's tests, stopped after the last."""
    stack = LiveStack(live_template, tmp_path_factory.mktemp("live"))
    yield stack
    stack.close()


@pytest.fixture
def live(live_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """Servers and databases of one test, for tests that break them."""
    stack = LiveStack(live_template, tmp_path_factory.mktemp("live"))
    yield stack
    stack.close()


@pytest.fixture
def sentry_ingest() -> Iterator[SentryIngest]:
    """A loopback Sentry ingest; point ``SENTRY_DSN`` at its ``dsn``."""
    ingest = SentryIngest()
    yield ingest
    ingest.close()
