"""The harness keeps its promises: every wait has a deadline, every process is stopped."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import Stack, wait_until

ENV = dict(os.environ)
SLEEP = [sys.executable, "-c", "import time; time.sleep(600)"]
# Ignores SIGTERM, and so does the child it starts (whose pid it prints).
STUBBORN = """
import signal, subprocess, sys, time
IGNORE = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", IGNORE])
print(child.pid, flush=True)
time.sleep(600)
"""


def is_alive(pid: int) -> bool:
    """Running or asleep: not gone, not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_wait_until_gives_up_at_its_deadline():
    checks = []
    with pytest.raises(TimeoutError, match="the impossible"):
        wait_until(lambda: checks.append(1), timeout=0.3, interval=0.05, what="the impossible")
    assert len(checks) >= 2


def test_waiting_for_a_process_that_exits_fails_at_once_with_its_output(stack):
    # A TimeoutError (after 30 s) would mean the exit went unnoticed.
    with pytest.raises(RuntimeError, match=r"(?s)quitter exited with 3 .*never ready"):
        stack.start(
            [sys.executable, "-c", "print('never ready'); raise SystemExit(3)"],
            env=ENV,
            name="quitter",
            ready=lambda _: False,
            timeout=30,
        )


def test_a_process_that_ignores_sigterm_is_killed_with_its_whole_group(stack):
    process = stack.start(
        [sys.executable, "-c", STUBBORN],
        env=ENV,
        name="stubborn",
        ready=lambda started: started.log().strip(),
        timeout=30,
    )
    grandchild = int(process.log())
    assert is_alive(grandchild)

    assert process.stop(graceful=True, timeout=1) == -signal.SIGKILL
    wait_until(lambda: not is_alive(grandchild), timeout=10, what="the grandchild to die")


def test_a_process_that_overruns_its_finish_is_killed(stack):
    process = stack.start(SLEEP, env=ENV, name="sleeper")
    with pytest.raises(subprocess.TimeoutExpired):
        process.finish(timeout=0.5)
    assert process.returncode == -signal.SIGKILL


def test_closing_a_stack_stops_what_it_started(tmp_path):
    stack = Stack(tmp_path)
    processes = [stack.start(SLEEP, env=ENV, name="sleeper") for _ in range(2)]
    assert [process.returncode for process in processes] == [None, None]
    stack.close()
    assert [process.returncode for process in processes] == [-signal.SIGTERM] * 2
    assert [path.name for path in sorted(tmp_path.iterdir())] == ["sleeper-2.log", "sleeper.log"]
