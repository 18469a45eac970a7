"""
Two instances, one truth: whatever one gunicorn instance decides (tokens,
throttle counts, versions of a todo, the schema) holds on the other, because
the state lives in PostgreSQL and Redis, never in a process.
"""

from functools import partial

import pytest
import redis

from tests.live import (
    ME,
    PASSWORD,
    REFRESH,
    TOKEN,
    LiveStack,
    RedisServer,
    Server,
    call,
    concurrently,
    create_todo,
    fresh_ip,
    manage,
    manage_command,
    requires_postgres,
    server_env,
    sign_up,
)

pytestmark = [pytest.mark.live, requires_postgres]

AUTH_RATE = 5


@pytest.fixture(scope="module")
def shared_redis(live_module: LiveStack) -> RedisServer:
    """
    The Redis both instances count in, this module's own: the run's REDIS_URL
    also holds the counts of other tests' servers (in parallel, with the same
    user ids in their own databases).
    """
    return live_module.redis()


@pytest.fixture(scope="module")
def instances(live_module: LiveStack, shared_redis: RedisServer) -> list[Server]:
    """Instances A and B with a small auth budget, shared through one Redis."""
    env = server_env(
        live_module.database(), REDIS_URL=shared_redis.url, THROTTLE_RATE_AUTH=f"{AUTH_RATE}/min"
    )
    return live_module.servers_for(2, env)


def test_tokens_from_one_instance_work_on_the_other(instances):
    a, b = instances
    account = sign_up(a)

    me = call(b, "GET", ME, token=account.access)
    assert me.status == 200, me
    assert me.json()["email"] == account.email

    rotated = call(b, "POST", REFRESH, body={"refresh": account.refresh})
    assert rotated.status == 200, rotated
    # B blacklisted the old refresh token; A sees that too.
    assert call(a, "POST", REFRESH, body={"refresh": account.refresh}).status == 401
    assert call(a, "POST", REFRESH, body={"refresh": rotated.json()["refresh"]}).status == 200


def test_the_auth_throttle_counts_requests_on_both_instances(instances):
    a, b = instances
    account = sign_up(a)
    credentials = {"email": account.email, "password": PASSWORD}
    client_ip = fresh_ip()

    replies = [
        call(server, "POST", TOKEN, body=credentials, source_ip=client_ip)
        for server in (a, a, a, b, b, b)
    ]

    assert [reply.status for reply in replies] == [200] * AUTH_RATE + [429], replies
    assert int(replies[-1].headers["retry-after"]) > 0
    # The budget is per client address: another client is not affected.
    assert call(b, "POST", TOKEN, body=credentials, source_ip=fresh_ip()).status == 200


def test_a_simultaneous_burst_on_both_instances_gets_exactly_the_budget(instances):
    a, b = instances
    account = sign_up(a)
    credentials = {"email": account.email, "password": PASSWORD}
    client_ip = fresh_ip()

    replies = concurrently(
        [
            partial(call, (a, b)[n % 2], "POST", TOKEN, body=credentials, source_ip=client_ip)
            for n in range(4 * AUTH_RATE)
        ]
    )

    statuses = sorted(reply.status for reply in replies)
    assert statuses == [200] * AUTH_RATE + [429] * 3 * AUTH_RATE, replies
    assert all(int(r.headers["retry-after"]) > 0 for r in replies if r.status == 429)


def test_in_redis_a_throttle_window_is_one_key_counted_by_increment(instances, shared_redis):
    a, b = instances
    account = sign_up(a)

    for server in (a, b, a):
        assert call(server, "GET", ME, token=account.access).status == 200

    # One INCR per request, its expiry set by the first: one key, no companion
    # keys, as the round-trip budget of a throttled request promises.
    with redis.Redis.from_url(shared_redis.url) as store:
        window = f"throttle_user_{account.id}"
        keys = store.keys(f"*:{window}") + store.keys(f"*:{window}:*")
        assert len(keys) == 1, keys
        # The three calls, and sign_up's own GET me (sign-up answers no id since 202).
        assert int(store.get(keys[0]) or 0) == 4
        assert 0 < store.ttl(keys[0]) <= 60


def test_an_etag_from_one_instance_is_honoured_on_the_other(instances):
    a, b = instances
    account = sign_up(a)
    path, _ = create_todo(a, account, "first version")
    read_on_a = call(a, "GET", path, token=account.access)

    written_on_b = call(
        b,
        "PATCH",
        path,
        token=account.access,
        body={"title": "second version"},
        headers={"If-Match": read_on_a.headers["etag"]},
    )

    assert written_on_b.status == 200, written_on_b
    stale = call(
        a,
        "PATCH",
        path,
        token=account.access,
        body={"title": "lost update"},
        headers={"If-Match": read_on_a.headers["etag"]},
    )
    assert stale.status == 412, stale
    not_modified = call(
        a,
        "GET",
        path,
        token=account.access,
        headers={"If-None-Match": written_on_b.headers["etag"]},
    )
    assert not_modified.status == 304
    assert call(a, "GET", path, token=account.access).json()["title"] == "second version"


def test_two_releases_started_together_both_succeed_and_migrate_once(live_module):
    env = server_env(live_module.database(empty=True))

    releases = [
        live_module.start(manage_command("release"), env=env, name="release") for _ in range(2)
    ]
    outputs = [release.finish(timeout=120, check=False).stdout for release in releases]

    assert [release.returncode for release in releases] == [0, 0], outputs
    assert all("Release complete." in output for output in outputs), outputs
    assert sum("Applying accounts.0001_initial" in output for output in outputs) == 1, outputs
    check = manage("migrate", "--check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
