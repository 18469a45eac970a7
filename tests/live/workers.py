"""A Celery worker running the project's tasks, as Procfile's ``worker:`` starts one."""

import signal
import sys
import uuid
from pathlib import Path

from tests.live.processes import ManagedProcess


class CeleryWorker(ManagedProcess):
    """
    ``celery --app config worker`` with the prefork pool (one process), on
    the environment's broker; ready once it logged that it is. SIGTERM is
    Celery's warm shutdown (running tasks finish), SIGQUIT its cold one;
    ``kill()`` is ``kill -9`` of the worker and its pool.
    """

    def __init__(self, env: dict[str, str], log_dir: Path, *, name: str) -> None:
        self.node = f"{name}-{uuid.uuid4().hex[:6]}"
        args = [sys.executable, "-m", "celery", "--app", "config", "worker", "--loglevel=INFO"]
        args += ["--concurrency=1", f"--hostname={self.node}@%h"]
        # Looking for neighbours only slows the start of a worker that is alone.
        args += ["--without-mingle", "--without-gossip"]
        super().__init__(
            args,
            env=env,
            log_dir=log_dir,
            name=name,
            graceful_signal=signal.SIGTERM,
            quick_signal=signal.SIGQUIT,
        )

    def is_ready(self) -> bool:
        return f"{self.node}@" in self.log() and " ready." in self.log()
