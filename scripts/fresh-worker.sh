#!/usr/bin/env bash
# What a fresh worker's first requests cost (docs/benchmarks.md): ours as
# scripts/bench.sh starts it, but one worker (WEB_CONCURRENCY=1) and no
# recycling, so the worker measured is the one gunicorn starts when the old
# one is stopped. One client, one request at a time on one keep-alive
# connection, the list of 20:
#
#   1. WARM requests to an old worker, then FIRST more on it: the steady cost;
#   2. the worker is stopped (TERM) and gunicorn forks a new one;
#   3. FIRST requests to the new worker, each measured on its own.
#
# For each, the worker's CPU (all its threads, from /proc/PID/task/*/schedstat,
# in ns), the CPU of the PostgreSQL backends it opened, and the latency seen by
# the client. Prints the first request, the first FIRST and the same count
# warm, side by side.
#
#   bash scripts/fresh-worker.sh
#   FIRST=50 WARM=2000 bash scripts/fresh-worker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FIRST="${FIRST:-50}" WARM="${WARM:-1000}"

# shellcheck source=live-server.sh
source scripts/live-server.sh
export PROMETHEUS_MULTIPROC_DIR="$LIVE_WORK_DIR/prometheus" JWT_ACCESS_MINUTES=120
export DJANGO_SECURE_SSL_REDIRECT=true WEB_CONCURRENCY=1 GUNICORN_MAX_REQUESTS=0
start_live_server todo_fresh "${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
sign_up_with_todos fresh@example.com 1000
echo "fresh-worker: gunicorn $SERVER_PID, $(.venv/bin/python -V), load average $(cut -d' ' -f1-3 /proc/loadavg)"

.venv/bin/python - "$BASE" "$TOKEN" "$SERVER_PID" "$LIVE_DB" "$FIRST" "$WARM" <<'PY'
import glob
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

base, token, master, database, first, warm = sys.argv[1:]
master_pid, first, warm = int(master), int(first), int(warm)
address = urlsplit(base)
HEADERS = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}


def worker() -> int:
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
    pids = [int(pid) for pid in children.stdout.split()]
    return pids[0] if len(pids) == 1 else 0


def cpu_ns(pids: list[int]) -> int:
    """CPU time of every thread of these processes, in ns."""
    total = 0
    for pid in pids:
        for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
            try:
                with open(path) as stat:
                    total += int(stat.read().split()[0])
            except (OSError, ValueError):  # a thread that ended meanwhile
                pass
    return total


def backends() -> list[int]:
    """The PostgreSQL backends serving our database (the worker's connections)."""
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "root", "-d", "postgres", "-tAc", query],
        capture_output=True, text=True, check=True,
    )
    return [int(pid) for pid in out.stdout.split()]


def requests(count: int, worker_pid: int) -> list[tuple[float, float, float]]:
    """(latency ms, worker CPU ms, database CPU ms) for each request, one at a time."""
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    seen: list[int] = []
    measured = []
    for _ in range(count):
        seen = sorted(set(seen) | set(backends())) if len(measured) < 8 else seen
        before_worker, before_db = cpu_ns([worker_pid]), cpu_ns(seen)
        started = time.perf_counter()
        connection.request("GET", "/api/v1/todos/?page_size=20", headers=HEADERS)
        response = connection.getresponse()
        response.read()
        latency = (time.perf_counter() - started) * 1000
        assert response.status == 200, response.status
        after_seen = sorted(set(seen) | set(backends())) if len(measured) < 8 else seen
        new = [pid for pid in after_seen if pid not in seen]
        # A backend opened by this request: all its CPU so far is this request's.
        db = cpu_ns(after_seen) - before_db if not new else cpu_ns(seen) - before_db + cpu_ns(new)
        measured.append((latency, (cpu_ns([worker_pid]) - before_worker) / 1e6, db / 1e6))
        seen = after_seen
    connection.close()
    return measured


def warm_up(count: int) -> None:
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    for _ in range(count):
        connection.request("GET", "/api/v1/todos/?page_size=20", headers=HEADERS)
        connection.getresponse().read()
    connection.close()


old = worker()
warm_up(warm)
steady = requests(first, old)

os.kill(old, signal.SIGTERM)
while (new := worker()) in (0, old):
    time.sleep(0.05)
time.sleep(2)  # the worker has booted (nothing counted here: it has served nothing yet)
boot_ms = cpu_ns([new]) / 1e6
fresh = requests(first, new)


def row(name: str, measured: list[tuple[float, float, float]]) -> str:
    latency, worker_ms, db_ms = zip(*measured, strict=True)
    return (
        f"| {name} | {statistics.median(latency):.1f} | {max(latency):.1f} | "
        f"{sum(worker_ms) / len(worker_ms):.2f} | {statistics.median(worker_ms):.2f} | "
        f"{sum(db_ms) / len(db_ms):.2f} |"
    )


print(f"\nThe new worker spent {boot_ms:.1f} ms of CPU between its fork and its first request.")
print("| requests | latency p50 ms | max ms | worker CPU ms/req (mean) | median | PostgreSQL CPU ms/req (mean) |")
print("|---|---|---|---|---|---|")
print(row("a fresh worker's 1st", fresh[:1]))
print(row(f"a fresh worker's first {first}", fresh))
print(row(f"a fresh worker's 2nd-{first}", fresh[1:]))
print(row(f"{first} on a worker after {warm}", steady))
PY
