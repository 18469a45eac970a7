"""gunicorn serving ``config.wsgi`` as deployed (gunicorn.conf.py), on a free loopback port."""

import contextlib
import signal
import sys
from pathlib import Path

from tests.live.api import HEALTH, call
from tests.live.processes import HOST, REPO_ROOT, ManagedProcess, free_port


class Server(ManagedProcess):
    """
    A gunicorn master and its gthread workers; ready when ``/health``
    answers 200 and every worker is up. SIGTERM is gunicorn's graceful stop,
    SIGINT its quick one.
    """

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
        super().__init__(
            args,
            env=env,
            log_dir=log_dir,
            name=f"gunicorn-{self.port}",
            graceful_signal=signal.SIGTERM,
            quick_signal=signal.SIGINT,
        )

    def is_ready(self) -> bool:
        with contextlib.suppress(OSError):
            return (
                call(self, "GET", HEALTH, timeout=5).status == 200
                and len(self.worker_pids()) == self.workers
            )
        return False

    def worker_pids(self) -> set[int]:
        return self.children()
