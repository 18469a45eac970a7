"""
Sign-up's answer does not tell a taken address from a new one, in time
either: the live server (gunicorn, PostgreSQL, a Redis broker) answers
alternating sign-ups for new addresses and for one taken address, each from
a fresh client address (its own ``auth`` budget). No worker runs: every
request only queues its mail, which the queue's length then proves.

A benchmark-style check: it prints the medians and bounds their difference
generously (the machine is shared); the issue's target, within 10 %, is
measured and reported, not asserted.
"""

import statistics
import uuid

import pytest
import redis as redis_client

from tests.live import (
    PASSWORD,
    REGISTER,
    LiveStack,
    call,
    fresh_ip,
    requires_postgres,
    server_env,
    sign_up,
)

pytestmark = [pytest.mark.live, requires_postgres]

ROUNDS = 50
WARM_UP = 2


def register(server, email: str):
    reply = call(
        server, "POST", REGISTER, body={"email": email, "password": PASSWORD}, source_ip=fresh_ip()
    )
    assert reply.status == 202, reply
    return reply


def test_a_new_and_a_taken_address_are_answered_alike_and_as_fast(live_module: LiveStack):
    broker = live_module.redis()
    env = server_env(live_module.database(), REDIS_URL=broker.url, CELERY_TASK_ALWAYS_EAGER="false")
    server = live_module.server(env)
    taken = sign_up(server).email
    queue = redis_client.Redis.from_url(broker.url)
    queued_before = queue.llen("celery")

    def new_address() -> str:
        return f"live-new-{uuid.uuid4().hex[:16]}@example.com"

    for _ in range(WARM_UP):
        register(server, new_address())
        register(server, taken)
    new_times: list[float] = []
    taken_times: list[float] = []
    bodies = set()
    for _ in range(ROUNDS):
        email = new_address()
        new = register(server, email)
        old = register(server, taken.upper())
        new_times.append(new.elapsed)
        taken_times.append(old.elapsed)
        assert new.json() == {**old.json(), "email": email}
        bodies.add(old.body)

    new_median, taken_median = statistics.median(new_times), statistics.median(taken_times)
    difference = (new_median - taken_median) / taken_median
    print(
        f"\nsign-up medians over {ROUNDS} alternating requests each: "
        f"new {new_median * 1000:.1f} ms, taken {taken_median * 1000:.1f} ms "
        f"({difference:+.1%})"
    )
    # Generous: the machine is shared. Hashing for only one of the two cases
    # (Argon2, tens of milliseconds) would be far outside it.
    assert abs(difference) < 0.25, (new_median, taken_median)
    assert len(bodies) == 1
    # Every request queued exactly one mail, and none was sent meanwhile.
    assert queue.llen("celery") - queued_before == 2 * (ROUNDS + WARM_UP)
