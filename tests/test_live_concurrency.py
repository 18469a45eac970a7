"""
Races between real requests: two gunicorn instances (two gthread workers
each) on one PostgreSQL database, hit by requests sent at the same moment.

Left alone, such requests overlap only now and then, so a missing lock would
slip through most runs. Each race is therefore run while the test holds a
lock on the contended row, as a slow writer would: every request is provably
in flight, queued in the database, when the lock is released, so the race
happens on every run.
"""

from dataclasses import dataclass
from functools import partial

import pytest

from tests.live import (
    REFRESH,
    TODOS,
    LiveStack,
    RowLock,
    Server,
    call,
    concurrently,
    create_todo,
    requires_postgres,
    server_env,
    sign_up,
    todo_id,
)

pytestmark = [pytest.mark.live, requires_postgres]

# Two instances x two workers x four threads: all racers are served at once.
RACERS = 8


@dataclass(frozen=True)
class Instances:
    a: Server
    b: Server
    database: str

    def alternate(self, i: int) -> Server:
        return (self.a, self.b)[i % 2]


@pytest.fixture(scope="module")
def instances(live_module: LiveStack) -> Instances:
    """Instances A and B: same database, same Redis (if any), same secret."""
    database = live_module.database()
    a, b = live_module.servers_for(2, server_env(database))
    return Instances(a, b, database)


def test_concurrent_writes_with_the_same_if_match_let_exactly_one_win(instances):
    account = sign_up(instances.a)
    path, _ = create_todo(instances.a, account, "original")
    # Every writer read the same version, whichever instance it asked.
    etags = {
        call(server, "GET", path, token=account.access).headers["etag"]
        for server in (instances.a, instances.b)
    }
    assert len(etags) == 1
    etag = etags.pop()

    with RowLock(instances.database, "todos_todo", id=todo_id(path)) as lock:
        replies = concurrently(
            [
                partial(
                    call,
                    instances.alternate(i),
                    "PATCH",
                    path,
                    token=account.access,
                    body={"title": f"writer {i}"},
                    headers={"If-Match": etag},
                )
                for i in range(RACERS)
            ],
            meanwhile=partial(lock.release_when_queued, RACERS),
        )

    assert sorted(reply.status for reply in replies) == [200] + [412] * (RACERS - 1), replies
    winner = next(reply for reply in replies if reply.status == 200)
    assert all("detail" in reply.json() for reply in replies if reply.status == 412)
    final = call(instances.b, "GET", path, token=account.access)
    assert final.json()["title"] == winner.json()["title"]
    assert final.headers["etag"] == winner.headers["etag"]


def test_delete_with_a_stale_if_match_is_refused_and_deletes_nothing(instances):
    account = sign_up(instances.a)
    path, stale_etag = create_todo(instances.a, account, "read by two clients")
    changed = call(instances.b, "PATCH", path, token=account.access, body={"title": "changed"})
    assert changed.status == 200

    refused = call(
        instances.a, "DELETE", path, token=account.access, headers={"If-Match": stale_etag}
    )

    assert refused.status == 412, refused
    still_there = call(instances.a, "GET", path, token=account.access)
    assert still_there.status == 200
    assert still_there.json()["title"] == "changed"
    current = {"If-Match": still_there.headers["etag"]}
    assert call(instances.a, "DELETE", path, token=account.access, headers=current).status == 204
    assert call(instances.a, "GET", path, token=account.access).status == 404


def test_concurrent_creates_with_one_idempotency_key_on_two_instances_create_one_todo(
    instances,
):
    account = sign_up(instances.a)
    body = {"title": "pay the rent", "due_date": "2030-01-31"}
    key = {"Idempotency-Key": "rent-2030-01"}

    # Storing a key references its owner: the racers queue on the user's row.
    with RowLock(instances.database, "accounts_user", id=account.id) as lock:
        replies = concurrently(
            [
                partial(
                    call,
                    instances.alternate(i),
                    "POST",
                    TODOS,
                    token=account.access,
                    body=body,
                    headers=key,
                )
                for i in range(RACERS)
            ],
            meanwhile=partial(lock.release_when_queued, RACERS),
        )

    assert [reply.status for reply in replies] == [201] * RACERS, replies
    assert all(reply.json() == replies[0].json() for reply in replies)
    assert len({reply.headers["etag"] for reply in replies}) == 1
    replayed = [reply.headers.get("idempotent-replayed") for reply in replies]
    assert replayed.count("true") == RACERS - 1
    assert replayed.count(None) == 1
    listed = call(instances.b, "GET", TODOS, token=account.access).json()
    assert len(listed["results"]) == 1
    assert listed["next"] is None
    assert listed["results"][0]["id"] == replies[0].json()["id"]

    other_body = call(
        instances.b,
        "POST",
        TODOS,
        token=account.access,
        body={**body, "title": "pay the rent twice"},
        headers=key,
    )
    assert other_body.status == 422, other_body
    assert len(call(instances.a, "GET", TODOS, token=account.access).json()["results"]) == 1


def test_one_refresh_token_sent_concurrently_rotates_exactly_once(instances):
    account = sign_up(instances.a)

    with RowLock(
        instances.database, "token_blacklist_outstandingtoken", jti=account.refresh_jti
    ) as lock:
        replies = concurrently(
            [
                partial(
                    call, instances.alternate(i), "POST", REFRESH, body={"refresh": account.refresh}
                )
                for i in range(RACERS)
            ],
            meanwhile=partial(lock.release_when_queued, RACERS),
        )

    assert sorted(reply.status for reply in replies) == [200] + [401] * (RACERS - 1), replies
    winner = next(reply for reply in replies if reply.status == 200).json()
    rotated = call(instances.b, "POST", REFRESH, body={"refresh": winner["refresh"]})
    assert rotated.status == 200, rotated
    replayed = call(instances.a, "POST", REFRESH, body={"refresh": account.refresh})
    assert replayed.status == 401
