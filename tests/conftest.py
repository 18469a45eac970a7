"""Fixtures for the live tests (see ``tests/live.py``)."""

from collections.abc import Iterator

import pytest

from tests.live import LiveStack, drop_database, migrate_template


@pytest.fixture(scope="session")
def live_template() -> Iterator[str]:
    """One migrated database per run; live databases are fast clones of it."""
    name = migrate_template()
    yield name
    drop_database(name)


@pytest.fixture(scope="module")
def live_module(live_template, tmp_path_factory) -> Iterator[LiveStack]:
    """Servers and databases shared by one module's tests, stopped after the last."""
    stack = LiveStack(live_template, tmp_path_factory.mktemp("live"))
    yield stack
    stack.close()


@pytest.fixture
def live(live_template, tmp_path_factory) -> Iterator[LiveStack]:
    """Servers and databases of one test, for tests that break them."""
    stack = LiveStack(live_template, tmp_path_factory.mktemp("live"))
    yield stack
    stack.close()
