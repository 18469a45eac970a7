"""
Faults under a real gunicorn: the database or Redis going away and coming
back, a worker killed, the master told to stop while a request is in flight.
"""

import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import pytest

from tests.live import (
    HEALTH,
    HOST,
    TODOS,
    TOKEN,
    Account,
    LiveStack,
    PostgresCluster,
    RowLock,
    Server,
    call,
    concurrently,
    create_todo,
    manage,
    requires_postgres,
    server_env,
    sign_up,
    todo_id,
    wait_until,
)

pytestmark = [pytest.mark.live, requires_postgres]

# The app gives up connecting to the database after 3 s (connect_timeout).
CONNECT_TIMEOUT = 3.0
# Two workers with four threads each: enough requests to reach them all.
EVERY_THREAD = 8
# How long the request in flight at shutdown takes: well past any graceful
# timeout too short for real requests, well within the deployment's.
SLOW_REQUEST = 3.0


@dataclass(frozen=True)
class OwnDatabase:
    cluster: PostgresCluster
    server: Server
    account: Account


@pytest.fixture(scope="module")
def own_database(live_module: LiveStack) -> OwnDatabase:
    """A gunicorn on a PostgreSQL server of the module's own, to stop and start."""
    cluster = live_module.postgres_cluster()
    env = server_env(cluster.url)
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    server = live_module.server(env)
    account = sign_up(server)
    create_todo(server, account, "survives the outage")
    return OwnDatabase(cluster, server, account)


def list_todos(setup: OwnDatabase) -> partial:
    return partial(call, setup.server, "GET", TODOS, token=setup.account.access)


def assert_unavailable(reply, *, within: float) -> None:
    """503 with a JSON body and a Retry-After: never a 500, never HTML, never a hang."""
    assert reply.status == 503, reply
    assert reply.headers["content-type"] == "application/json", reply
    assert "detail" in reply.json()
    assert int(reply.headers["retry-after"]) > 0
    assert reply.elapsed < within + 1, reply


def test_a_database_restart_between_requests_is_invisible_to_clients(own_database):
    if not own_database.cluster.is_running():
        own_database.cluster.start()
    # Every worker thread keeps a persistent connection...
    warm = concurrently([list_todos(own_database)] * EVERY_THREAD)
    assert [reply.status for reply in warm] == [200] * EVERY_THREAD, warm
    workers = own_database.server.worker_pids()

    own_database.cluster.stop()
    own_database.cluster.start()

    # ...which the restart killed: each is checked and replaced before use.
    after = concurrently([list_todos(own_database)] * EVERY_THREAD)
    assert [reply.status for reply in after] == [200] * EVERY_THREAD, after
    assert call(own_database.server, "GET", HEALTH).status == 200
    assert own_database.server.worker_pids() == workers


def test_a_database_outage_answers_503_json_quickly_and_recovers_without_a_restart(
    own_database,
):
    cluster, server, account = own_database.cluster, own_database.server, own_database.account
    if not cluster.is_running():
        cluster.start()
    workers = server.worker_pids()
    outage_requests = [
        list_todos(own_database),
        partial(call, server, "POST", TODOS, token=account.access, body={"title": "while down"}),
        partial(call, server, "POST", TOKEN, body={"email": account.email, "password": "x"}),
    ]

    cluster.stop()

    # Refused connections.
    for _ in range(EVERY_THREAD):
        health = call(server, "GET", HEALTH)
        assert health.status == 503, health
        assert health.json() == {"status": "unhealthy"}
    for request in outage_requests * 3:
        assert_unavailable(request(), within=CONNECT_TIMEOUT)

    # A database that accepts connections and never answers (a network
    # partition): the connect timeout must free the worker.
    with socket.create_server((HOST, cluster.port), backlog=64):
        health = call(server, "GET", HEALTH)
        assert health.status == 503, health
        assert CONNECT_TIMEOUT - 0.5 < health.elapsed < CONNECT_TIMEOUT + 5, health
        for request in outage_requests:
            assert_unavailable(request(), within=CONNECT_TIMEOUT + 5)

    cluster.start()

    wait_until(lambda: call(server, "GET", HEALTH).status == 200, timeout=30)
    back = concurrently([list_todos(own_database)] * EVERY_THREAD)
    assert [reply.status for reply in back] == [200] * EVERY_THREAD, back
    assert [todo["title"] for todo in back[0].json()["results"]] == ["survives the outage"]
    assert server.worker_pids() == workers, "no worker may die of the outage"


def test_redis_outage_degrades_throttling_but_never_fails_a_request(live: LiveStack):
    redis = live.redis()
    server = live.server(server_env(live.database(), REDIS_URL=redis.url))
    sign_up(server)
    assert "Exception ignored" not in server.log()

    redis.kill()

    account = sign_up(server)
    listed = call(server, "GET", TODOS, token=account.access)
    assert listed.status == 200, listed
    created = call(server, "POST", TODOS, token=account.access, body={"title": "no cache"})
    assert created.status == 201, created
    wait_until(lambda: "Exception ignored" in server.log(), timeout=10)
    log = server.log()
    assert "redis.exceptions.ConnectionError" in log, log[-3000:]
    assert "Internal Server Error" not in log


def test_a_killed_worker_is_replaced_and_requests_keep_succeeding(live: LiveStack):
    server = live.server(server_env(live.database()))
    account = sign_up(server)
    workers = server.worker_pids()
    victim = min(workers)

    os.kill(victim, signal.SIGKILL)

    for _ in range(12):
        reply = call(server, "GET", TODOS, token=account.access)
        assert reply.status == 200, reply

    def replaced() -> set[int] | None:
        pids = server.worker_pids()
        return pids if len(pids) == 2 and victim not in pids else None

    now = wait_until(replaced, timeout=30)
    assert workers - {victim} < now


def test_sigterm_lets_a_request_in_flight_finish_before_the_master_exits(live: LiveStack):
    database = live.database()
    # The deployment's own graceful timeout, not a test value.
    server = live.server(server_env(database), graceful_timeout=None)
    account = sign_up(server)
    path, _ = create_todo(server, account, "before shutdown")

    with (
        RowLock(database, "todos_todo", id=todo_id(path)) as lock,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        patch = pool.submit(
            call, server, "PATCH", path, token=account.access, body={"title": "after shutdown"}
        )
        # The PATCH is in flight: its worker waits for the row lock.
        lock.wait_for_waiters(1)
        server.begin_stop()
        time.sleep(SLOW_REQUEST)
        assert server.process.poll() is None, "the master must wait for the request"
        lock.release()
        reply = patch.result(timeout=20)

        assert reply.status == 200, reply
        assert reply.json()["title"] == "after shutdown"
        assert server.process.wait(timeout=20) == 0, server.log()[-3000:]
        stored = lock.observer.execute(
            "SELECT title FROM todos_todo WHERE id = %s", [reply.json()["id"]]
        )
        assert stored.fetchone() == ("after shutdown",)
