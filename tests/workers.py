"""
What a test run does once, however many pytest-xdist workers it has: the
first worker to need it does it under a lock, the others wait and reuse it.
"""

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary directory: an xdist worker's own is inside it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[], object]
) -> None:
    """
    ``make()`` once in the whole run, for every worker: the first to come
    does it, the others wait for it. A failure is raised in the worker that
    tried, and the next worker tries again.
    """
    base = run_directory(tmp_path_factory)
    done = base / f"{name}.done"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            make()
            done.touch()
