"""The API as a black-box client speaks to a live server: one request a connection."""

import base64
import http.client
import json
import random
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import Barrier
from typing import Any, Protocol

from tests.live.processes import HOST

PASSWORD = "a-long-passphrase-for-live-tests-1815"

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/auth/me/"
TODOS = "/api/v1/todos/"
HEALTH = "/health"


class Listening(Protocol):
    """Anything serving HTTP on a loopback port (a gunicorn ``Server``)."""

    port: int


def fresh_ip() -> str:
    """A loopback client address no throttle has seen (all of 127/8 is local on Linux)."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: Listening,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source_ip: str | None = None,
    barrier: Barrier | None = None,
    timeout: float = 30.0,
) -> Reply:
    """
    One request on a fresh connection, as the platform's TLS proxy forwards it.

    With ``barrier`` the connection is opened first and the request sent only
    once every party is connected, so concurrent requests really overlap.
    """
    conn = http.client.HTTPConnection(
        HOST, server.port, timeout=timeout, source_address=(source_ip, 0) if source_ip else None
    )
    sent_headers = {"X-Forwarded-Proto": "https", "Connection": "close", **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        sent_headers["Content-Type"] = "application/json"
    if token is not None:
        sent_headers["Authorization"] = f"Bearer {token}"
    try:
        try:
            conn.connect()
        except OSError:
            if barrier is not None:
                barrier.abort()  # the other parties fail at once instead of timing out
            raise
        if barrier is not None:
            barrier.wait()
        started = time.monotonic()
        conn.request(method, path, body=payload, headers=sent_headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.monotonic() - started
        return Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed
        )
    finally:
        conn.close()


def concurrently(
    requests: list[Callable[..., Reply]],
    *,
    meanwhile: Callable[[], None] | None = None,
    timeout: float = 60.0,
) -> list[Reply]:
    """
    Send all ``requests`` (``partial(call, ...)``) at the same moment and
    return their replies in order; ``meanwhile`` runs while they are in flight.
    """
    barrier = Barrier(len(requests), timeout=timeout)
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(request, barrier=barrier) for request in requests]
        if meanwhile is not None:
            meanwhile()
        return [future.result(timeout=timeout) for future in futures]


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    access: str
    refresh: str

    @property
    def refresh_jti(self) -> str:
        """The refresh token's id, as stored in its OutstandingToken row."""
        payload = self.refresh.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]


def sign_up(server: Listening, *, source_ip: str | None = None) -> Account:
    """Register a new user and sign in, from an address of its own (its own auth budget)."""
    source_ip = source_ip or fresh_ip()
    credentials = {"email": f"live-{uuid.uuid4().hex[:16]}@example.com", "password": PASSWORD}
    registered = call(server, "POST", REGISTER, body=credentials, source_ip=source_ip)
    assert registered.status == 202, registered
    signed_in = call(server, "POST", TOKEN, body=credentials, source_ip=source_ip)
    assert signed_in.status == 200, signed_in
    tokens = signed_in.json()
    me = call(server, "GET", ME, token=tokens["access"], source_ip=source_ip)
    assert me.status == 200, me
    return Account(me.json()["id"], credentials["email"], tokens["access"], tokens["refresh"])


def create_todo(server: Listening, account: Account, title: str) -> tuple[str, str]:
    """Create a todo; return its path and ETag."""
    created = call(server, "POST", TODOS, token=account.access, body={"title": title})
    assert created.status == 201, created
    return f"{TODOS}{created.json()['id']}/", created.headers["etag"]


def todo_id(path: str) -> int:
    """The id in a todo's path, ``/api/v1/todos/<id>/``."""
    return int(path.rstrip("/").rsplit("/", 1)[1])
