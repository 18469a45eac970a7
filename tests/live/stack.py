"""What a test started, in one place, so that all of it is stopped and removed."""

import signal
import uuid
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from tests.live.databases import create_database, drop_database
from tests.live.gunicorn import Server
from tests.live.processes import ManagedProcess
from tests.live.services import PostgresCluster, RedisServer
from tests.live.sinks import SmtpSink
from tests.live.workers import CeleryWorker

P = TypeVar("P", bound=ManagedProcess)


class Stack:
    """
    Processes and services of one test (or module), torn down together by
    ``close()``, failures included; their output goes to files in ``log_dir``
    and is printed at the end (pytest shows it for a failed test).
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: list[ManagedProcess] = []
        self._cleanups: list[Callable[[], object]] = []
        self._names: Counter[str] = Counter()

    def callback(self, cleanup: Callable[[], object]) -> None:
        """Run ``cleanup`` at ``close()``, before what was registered earlier."""
        self._cleanups.append(cleanup)

    def adopt(self, process: P) -> P:
        """Stop ``process`` at ``close()``."""
        self.processes.append(process)
        self.callback(process.stop)
        return process

    def name(self, prefix: str) -> str:
        """``prefix``, numbered from its second use: a log file name of its own."""
        self._names[prefix] += 1
        count = self._names[prefix]
        return prefix if count == 1 else f"{prefix}-{count}"

    def start(
        self,
        args: list[str],
        *,
        env: dict[str, str],
        name: str,
        ready: Callable[[ManagedProcess], object] | None = None,
        timeout: float = 60,
        merge_output: bool = True,
        graceful_signal: signal.Signals = signal.SIGTERM,
        quick_signal: signal.Signals = signal.SIGTERM,
    ) -> ManagedProcess:
        """
        Start ``args`` with ``env`` and, given ``ready``, wait until
        ``ready(process)`` is true (at most ``timeout`` s; an exit fails at once).
        """
        process = self.adopt(
            ManagedProcess(
                args,
                env=env,
                log_dir=self.log_dir,
                name=self.name(name),
                merge_output=merge_output,
                graceful_signal=graceful_signal,
                quick_signal=quick_signal,
                ready=ready,
            )
        )
        if ready is not None:
            process.wait_ready(timeout)
        return process

    def servers_for(
        self,
        count: int,
        env: dict[str, str],
        *,
        workers: int = 2,
        graceful_timeout: int | None = 10,
    ) -> list[Server]:
        """``count`` gunicorn instances with the same environment, started side by side."""
        servers = [
            self.adopt(
                Server(env, self.log_dir, workers=workers, graceful_timeout=graceful_timeout)
            )
            for _ in range(count)
        ]
        for server in servers:
            server.wait_ready()
        return servers

    def server(
        self, env: dict[str, str], *, workers: int = 2, graceful_timeout: int | None = 10
    ) -> Server:
        return self.servers_for(1, env, workers=workers, graceful_timeout=graceful_timeout)[0]

    def redis(self) -> RedisServer:
        redis = self.adopt(RedisServer(self.log_dir))
        redis.wait_ready(20)
        return redis

    def celery_worker(self, env: dict[str, str], *, timeout: float = 90) -> CeleryWorker:
        """A Celery worker with ``env`` (its broker: ``REDIS_URL``), ready to take tasks."""
        worker = self.adopt(CeleryWorker(env, self.log_dir, name=self.name("celery")))
        worker.wait_ready(timeout)
        return worker

    def smtp_sink(self) -> SmtpSink:
        """A loopback mail server; into the environment as ``EMAIL_HOST``/``EMAIL_PORT``."""
        sink = SmtpSink()
        self.callback(sink.stop)
        return sink

    def postgres_cluster(self) -> PostgresCluster:
        cluster = PostgresCluster()
        self.callback(cluster.destroy)
        cluster.start()
        return cluster

    def close(self) -> None:
        """Signal every process at once, then clean up in reverse; print their output."""
        errors = []
        for process in self.processes:
            process.begin_stop(graceful=False)
        for cleanup in reversed(self._cleanups):
            try:
                cleanup()
            except Exception as exc:  # keep cleaning up; the first error is raised below
                errors.append(exc)
        for process in self.processes:
            print(f"--- {process.name} ---\n{process.log()[-6000:]}")
            if process.stderr_path is not None:
                print(f"--- {process.name} (stderr) ---\n{process.errors()[-6000:]}")
        if errors:
            raise errors[0]


class LiveStack(Stack):
    """A ``Stack`` that also hands out databases cloned from the run's migrated template."""

    def __init__(self, template: str, log_dir: Path) -> None:
        super().__init__(log_dir)
        self.template = template

    def database(self, *, empty: bool = False) -> str:
        """A new database, migrated (a template clone) unless ``empty``; returns its URL."""
        name = f"live_{uuid.uuid4().hex[:12]}"
        url = create_database(name, template=None if empty else self.template)
        self.callback(partial(drop_database, name))
        return url
