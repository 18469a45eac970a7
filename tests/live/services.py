"""Throwaway Redis and PostgreSQL servers of a test's own, to stop and kill at will."""

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.live.processes import HOST, ManagedProcess, executable, free_port


class RedisServer(ManagedProcess):
    """A Redis on a free loopback port, nothing saved to disk; ready once it answers PING."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        command = [executable("redis-server"), "--bind", HOST, "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        super().__init__(command, env=dict(os.environ), log_dir=log_dir, name=f"redis-{self.port}")

    def is_ready(self) -> bool:
        """It answers PING."""
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


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
    A throwaway PostgreSQL server (``pg_ctl`` runs it in the background), on
    a free loopback port, trusting the user ``live``.

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
