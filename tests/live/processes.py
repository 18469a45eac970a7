"""Child processes of a test: started with an environment, waited for, always stopped."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

T = TypeVar("T")


def wait_until(
    check: Callable[[], T | None], *, timeout: float, interval: float = 0.1, what: str = ""
) -> T:
    """Poll ``check`` until it returns something truthy and return that (at most ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what or check}")
        time.sleep(interval)


def free_port() -> int:
    """A loopback port nothing listens on (nothing will, unless the test starts it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


def executable(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"live test: `{name}` is not installed")
    return path


def manage_command(*args: str) -> list[str]:
    return [sys.executable, str(REPO_ROOT / "manage.py"), *args]


def manage(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run one management command to its end (killed after ``timeout`` s)."""
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


class ManagedProcess:
    """
    One program started by a test, in a session of its own (so its whole
    process group can be stopped), its output in files under ``log_dir``.

    ``merge_output`` writes stderr into the one log with stdout; otherwise
    stdout goes to ``log_path`` and stderr to ``stderr_path``. A graceful stop
    sends ``graceful_signal``, a quick one ``quick_signal``; whatever is left
    of the group after the timeout gets SIGKILL. ``ready`` tells when it is
    ready to be used (subclasses override ``is_ready`` instead).
    """

    def __init__(
        self,
        args: list[str],
        *,
        env: dict[str, str],
        log_dir: Path,
        name: str,
        cwd: Path = REPO_ROOT,
        merge_output: bool = True,
        graceful_signal: signal.Signals = signal.SIGTERM,
        quick_signal: signal.Signals = signal.SIGTERM,
        ready: "Callable[[ManagedProcess], object] | None" = None,
    ) -> None:
        self.name = name
        self.ready = ready
        self.graceful_signal = graceful_signal
        self.quick_signal = quick_signal
        self.stopping = False
        self.log_path = log_dir / f"{name}.log"
        self.stderr_path = None if merge_output else log_dir / f"{name}.stderr"
        with contextlib.ExitStack() as files:
            stdout = files.enter_context(self.log_path.open("wb"))
            stderr = (
                subprocess.STDOUT
                if self.stderr_path is None
                else files.enter_context(self.stderr_path.open("wb"))
            )
            self.process = subprocess.Popen(
                args,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        """The exit status, or ``None`` while it runs."""
        return self.process.poll()

    def log(self) -> str:
        """What it wrote to stdout (and stderr, when merged) so far."""
        return self.log_path.read_text(errors="replace")

    def errors(self) -> str:
        """What it wrote to stderr so far, when that is kept apart."""
        return self.stderr_path.read_text(errors="replace") if self.stderr_path else ""

    def children(self) -> set[int]:
        return children(self.pid)

    def wait_for(self, check: Callable[[], T], *, timeout: float, what: str = "") -> T:
        """
        ``wait_until``, failing at once if the process exits meanwhile; either
        failure ends with the process's output.
        """

        def still_running_and_check() -> T:
            if self.returncode is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.returncode} while waiting for "
                    f"{what or check}:\n{self.output_tail()}"
                )
            return check()

        try:
            return wait_until(still_running_and_check, timeout=timeout, interval=0.1, what=what)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; {self.name}'s output ends:\n{self.output_tail()}") from None

    def output_tail(self) -> str:
        return f"{self.log()[-6000:]}{self.errors()[-6000:]}"

    def is_ready(self) -> object:
        return self.ready(self) if self.ready else True

    def wait_ready(self, timeout: float = 60) -> None:
        self.wait_for(self.is_ready, timeout=timeout, what=f"{self.name} to be ready")

    def begin_stop(self, *, graceful: bool = True) -> None:
        """Signal it once, without waiting."""
        if self.returncode is None and not self.stopping:
            self.process.send_signal(self.graceful_signal if graceful else self.quick_signal)
            self.stopping = True

    def kill(self) -> None:
        """SIGKILL to the whole process group, at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, *, graceful: bool = False, timeout: float = 20) -> int:
        """Stop it (unless a stop is under way), then kill what is left after ``timeout`` s."""
        self.begin_stop(graceful=graceful)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        self.kill()
        return self.process.returncode

    def finish(
        self, *, timeout: float = 60, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """
        Wait for it to exit on its own (killed after ``timeout`` s) and return its
        output; with ``check`` a non-zero exit fails with its stderr.
        """
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        completed = subprocess.CompletedProcess(
            self.process.args, self.process.returncode, self.log(), self.errors()
        )
        if check:
            assert completed.returncode == 0, completed.stderr or completed.stdout
        return completed
