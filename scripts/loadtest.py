"""
Load test of the todo API: a mixed, closed-loop workload over many connections.

Seeds users and their todos through the API itself, gives every connection its
own token pair, then runs list, detail, create, update (with ``If-Match``),
delete, token refresh and a few deliberate 4xx requests with no think time for
``--duration`` seconds. Prints throughput, latency percentiles and every
status that was not the one expected; exits 1 on any 5xx, socket error or
unexpected status, so it can gate CI.

Runs with locust (gevent) as a library, from the side venv that
``scripts/loadtest.sh`` creates; that script also starts and stops the server:

    bash scripts/loadtest.sh                    # 60 s
    .fuzz-venv/bin/python scripts/loadtest.py --host http://127.0.0.1:8000 --duration 15
"""

import argparse
import itertools
import os
import random
import secrets
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import gevent
from gevent.pool import Pool
from locust import FastHttpUser, constant, events, task
from locust.contrib.fasthttp import FastHttpSession, FastResponse
from locust.env import Environment

API = "/api/v1"
# Load shaping, not security: a seeded generator keeps the mix repeatable.
RNG = random.Random(20251126)  # noqa: S311


@dataclass
class Identity:
    """One connection's account, token pair and the todos only it touches."""

    account: int
    access: str
    refresh: str
    todos: dict[int, str] = field(default_factory=dict)  # id -> last ETag seen


@dataclass
class Tally:
    """What came back, by kind; only requests inside the measured window count."""

    measuring: bool = False
    latencies_ms: list[float] = field(default_factory=list)
    by_name: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    deliberate_4xx: int = 0
    unexpected: Counter = field(default_factory=Counter)
    server_errors: int = 0
    socket_errors: Counter = field(default_factory=Counter)


IDENTITIES: list[Identity] = []
FOREIGN_TODOS: dict[int, list[int]] = {}  # account -> todo ids of other accounts
NEXT_IDENTITY = itertools.count()
TALLY = Tally()


def seed(host: str, *, users: int, connections: int, todos_per_user: int) -> None:
    """Register ``users`` accounts with todos and one token pair per connection."""
    run = secrets.token_hex(4)
    password = secrets.token_urlsafe(18)
    session = FastHttpSession(
        host,
        request_event=events.request,
        user=None,
        concurrency=16,
        network_timeout=60,
        connection_timeout=60,
    )

    def post(path: str, body: dict, access: str | None = None) -> FastResponse:
        headers = {"Authorization": f"Bearer {access}"} if access else {}
        response = session.post(f"{API}{path}", json=body, headers=headers)
        if not 200 <= response.status_code < 300:
            raise SystemExit(
                f"seeding failed: POST {path} -> {response.status_code} "
                f"{response.error or response.text}"
            )
        return response

    def register(account: int) -> str:
        email = f"load-{run}-{account}@example.com"
        post("/auth/register/", {"email": email, "password": password, "name": f"Load {account}"})
        return email

    def token_pair(email: str) -> dict:
        return post("/auth/token/", {"email": email, "password": password}).json()

    pool = Pool(16)
    emails = pool.map(register, range(users))
    # At least one pair per account: the first ``users`` pairs create the todos.
    slots = max(users, connections)
    pairs = pool.map(lambda slot: token_pair(emails[slot % users]), range(slots))
    for slot, pair in enumerate(pairs):
        IDENTITIES.append(Identity(slot % users, pair["access"], pair["refresh"]))

    def create_todos(account: int) -> list[tuple[int, str]]:
        access = IDENTITIES[account].access
        created = []
        for number in range(todos_per_user):
            body = {
                "title": f"Seeded todo {number}",
                "description": "Seeded for the load test. " * 4,
                "done": number % 3 == 0,
                "due_date": f"2031-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            }
            response = post("/todos/", body, access)
            created.append((response.json()["id"], response.headers["ETag"]))
        return created

    todos_by_account = pool.map(create_todos, range(users))
    # Connections that share an account split its todos, so no two ever
    # write the same row and every status is predictable.
    for account, todos in enumerate(todos_by_account):
        sharers = [identity for identity in IDENTITIES if identity.account == account]
        for index, (todo_id, etag) in enumerate(todos):
            sharers[index % len(sharers)].todos[todo_id] = etag
    for account in range(users):
        FOREIGN_TODOS[account] = [
            todo_id
            for other, todos in enumerate(todos_by_account)
            if other != account
            for todo_id, _ in todos[:3]
        ]


class TodoClient(FastHttpUser):
    """One connection: a signed-in client working on its own todos."""

    wait_time = constant(0)
    # One keep-alive connection per user, like a real client.
    concurrency = 1

    def on_start(self) -> None:
        self.me = IDENTITIES[next(NEXT_IDENTITY) % len(IDENTITIES)]

    def call(self, method: str, path: str, name: str, expected: int, **kwargs):
        headers = {"Authorization": f"Bearer {self.me.access}", **kwargs.pop("headers", {})}
        return self.client.request(
            method,
            f"{API}{path}",
            name=name,
            headers=headers,
            context={"expected": expected},
            **kwargs,
        )

    def own_todo(self) -> int | None:
        return RNG.choice(list(self.me.todos)) if self.me.todos else None

    @task(30)
    def list_todos(self) -> None:
        query = RNG.choice(
            [
                "",
                "?done=false&ordering=due_date",
                "?search=Seeded&page_size=50",
                "?due_after=2031-06-01&ordering=-created_at",
                "?ordering=title&page_size=10",
            ]
        )
        self.call("GET", f"/todos/{query}", "GET todos/ (list)", 200)

    @task(25)
    def detail(self) -> None:
        todo_id = self.own_todo()
        if todo_id is None:
            return self.create()
        response = self.call("GET", f"/todos/{todo_id}/", "GET todos/{id}/", 200)
        if response.status_code == 200:
            self.me.todos[todo_id] = response.headers["ETag"]

    @task(10)
    def create(self) -> None:
        headers = {"Idempotency-Key": str(uuid.uuid4())} if RNG.random() < 0.5 else {}
        body = {"title": f"Load {uuid.uuid4().hex[:8]}", "due_date": "2032-01-15"}
        response = self.call("POST", "/todos/", "POST todos/", 201, json=body, headers=headers)
        if response.status_code == 201:
            self.me.todos[response.json()["id"]] = response.headers["ETag"]

    @task(12)
    def update(self) -> None:
        todo_id = self.own_todo()
        if todo_id is None:
            return self.create()
        body = {"done": RNG.random() < 0.5, "title": f"Updated {uuid.uuid4().hex[:8]}"}
        headers = {"If-Match": self.me.todos[todo_id]}
        response = self.call(
            "PATCH", f"/todos/{todo_id}/", "PATCH todos/{id}/", 200, json=body, headers=headers
        )
        if response.status_code == 200:
            self.me.todos[todo_id] = response.headers["ETag"]

    @task(8)
    def delete(self) -> None:
        todo_id = self.own_todo()
        if todo_id is None:
            return self.create()
        etag = self.me.todos.pop(todo_id)
        self.call(
            "DELETE", f"/todos/{todo_id}/", "DELETE todos/{id}/", 204, headers={"If-Match": etag}
        )

    @task(5)
    def refresh(self) -> None:
        response = self.call(
            "POST",
            "/auth/token/refresh/",
            "POST auth/token/refresh/",
            200,
            json={"refresh": self.me.refresh},
        )
        if response.status_code == 200:
            pair = response.json()
            self.me.access, self.me.refresh = pair["access"], pair["refresh"]

    @task(3)
    def someone_elses_todo(self) -> None:
        todo_id = RNG.choice(FOREIGN_TODOS[self.me.account])
        self.call("GET", f"/todos/{todo_id}/", "GET todos/{id}/ (not mine: 404)", 404)

    @task(2)
    def invalid_create(self) -> None:
        self.call("POST", "/todos/", "POST todos/ (blank title: 400)", 400, json={"title": "  "})


@events.request.add_listener
def record(name, response_time, response, exception, context, **_kwargs) -> None:
    """Sort each answer into expected, deliberate 4xx, 5xx, socket error or unexpected."""
    if not TALLY.measuring:
        return
    status = getattr(response, "status_code", 0) or 0
    TALLY.latencies_ms.append(response_time)
    TALLY.by_name[name].append(response_time)
    TALLY.statuses[status] += 1
    expected = context.get("expected")
    if status == 0:
        TALLY.socket_errors[f"{name}: {type(exception).__name__}: {exception}"[:200]] += 1
    elif status >= 500:
        TALLY.server_errors += 1
        TALLY.unexpected[f"{name} -> {status}"] += 1
    elif status != expected:
        TALLY.unexpected[f"{name} -> {status} (expected {expected})"] += 1
    elif status >= 400:
        TALLY.deliberate_4xx += 1


def cpu_seconds(pid: int) -> float:
    """
    CPU time used so far by a process and all its children, reaped or alive.

    On a shared machine, wall-clock throughput depends on the neighbours;
    server CPU per request does much less.
    """
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(process: int) -> list[str]:
        with open(f"/proc/{process}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()

    fields = stat(pid)
    # utime, stime, cutime, cstime (fields 14-17; index 11-14 after the name).
    total = sum(int(value) for value in fields[11:15])
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                child = stat(int(entry))
            except OSError:
                continue
            if int(child[1]) == pid:
                total += int(child[11]) + int(child[12])
    return total / ticks


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of unsorted ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def report(duration: float, connections: int, server_cpu: float | None, client_cpu: float) -> bool:
    """Print the results; True when nothing went wrong."""
    total = len(TALLY.latencies_ms)
    if total == 0:
        print("No request completed.")
        return False
    non_2xx = sum(count for status, count in TALLY.statuses.items() if not 200 <= status < 300)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{total} requests in {duration:.1f} s over {connections} connections")
    print(f"machine      {os.cpu_count()} cores, load average now {load} (1, 5, 15 min)")
    print(f"throughput   {total / duration:8.1f} req/s")
    if server_cpu is not None:
        print(
            f"server CPU   {server_cpu:.1f} s in gunicorn = {server_cpu / duration:.2f} "
            f"cores busy, {1000 * server_cpu / total:.2f} ms per request"
        )
    print(f"client CPU   {client_cpu:.1f} s in this load generator")
    print(
        "latency ms   "
        f"p50 {percentile(TALLY.latencies_ms, 0.50):.1f}   "
        f"p90 {percentile(TALLY.latencies_ms, 0.90):.1f}   "
        f"p99 {percentile(TALLY.latencies_ms, 0.99):.1f}   "
        f"max {max(TALLY.latencies_ms):.1f}"
    )
    print(
        f"non-2xx      {non_2xx}: deliberate 4xx {TALLY.deliberate_4xx}, "
        f"5xx {TALLY.server_errors}, socket errors {sum(TALLY.socket_errors.values())}, "
        f"other unexpected {sum(TALLY.unexpected.values()) - TALLY.server_errors}"
    )
    print(f"statuses     {dict(sorted(TALLY.statuses.items()))}")
    print(f"\n{'request':<36}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, times in sorted(TALLY.by_name.items(), key=lambda item: -len(item[1])):
        print(
            f"{name:<36}{len(times):>8}{len(times) / duration:>9.1f}"
            f"{percentile(times, 0.50):>9.1f}{percentile(times, 0.99):>9.1f}"
        )
    problems = [*TALLY.unexpected.items(), *TALLY.socket_errors.items()]
    for what, count in problems:
        print(f"UNEXPECTED {count} x {what}")
    return not problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True, help="base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--connections", type=int, default=64, help="concurrent clients (64)")
    parser.add_argument("--users", type=int, default=50, help="seeded accounts (50)")
    parser.add_argument("--todos-per-user", type=int, default=20, help="seeded todos (20)")
    parser.add_argument("--server-pid", type=int, help="gunicorn master: report its CPU use")
    args = parser.parse_args()
    host = args.host.rstrip("/")

    started = time.perf_counter()
    seed(host, users=args.users, connections=args.connections, todos_per_user=args.todos_per_user)
    print(
        f"Seeded {args.users} users, {args.users * args.todos_per_user} todos and "
        f"{args.connections} token pairs in {time.perf_counter() - started:.1f} s"
    )

    environment = Environment(user_classes=[TodoClient], events=events, host=host)
    runner = environment.create_local_runner()
    runner.start(args.connections, spawn_rate=args.connections)
    while runner.user_count < args.connections:
        gevent.sleep(0.05)
    cpu_before = cpu_seconds(args.server_pid) if args.server_pid else None
    client_before = time.process_time()
    TALLY.measuring = True
    started = time.perf_counter()
    gevent.sleep(args.duration)
    TALLY.measuring = False
    duration = time.perf_counter() - started
    server_cpu = cpu_seconds(args.server_pid) - cpu_before if cpu_before is not None else None
    client_cpu = time.process_time() - client_before
    runner.quit()
    return 0 if report(duration, args.connections, server_cpu, client_cpu) else 1


if __name__ == "__main__":
    sys.exit(main())
