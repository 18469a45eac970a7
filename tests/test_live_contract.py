"""
The contract as a black-box client sees it: a real gunicorn, debug off, on
PostgreSQL (and Redis when REDIS_URL is set), spoken to over HTTP.
"""

import http.client
import json

import pytest

from tests.live import (
    HEALTH,
    HOST,
    TODOS,
    LiveStack,
    Server,
    call,
    requires_postgres,
    server_env,
    sign_up,
)

pytestmark = [pytest.mark.live, requires_postgres]


@pytest.fixture(scope="module")
def server(live_module: LiveStack) -> Server:
    # Static files are collected once per run (tests/conftest.py), as the image build does.
    return live_module.server(server_env(live_module.database()))


def raw_request(server: Server, method: str, path: str, body: bytes, headers: dict) -> tuple:
    conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_no_server_banner(server):
    reply = call(server, "GET", HEALTH)
    assert reply.status == 200
    assert "server" not in reply.headers


def test_todo_round_trip_with_and_without_trailing_slashes(server):
    account = sign_up(server)
    created = call(server, "POST", TODOS.rstrip("/"), token=account.access, body={"title": "a"})
    assert created.status == 201, created
    path = f"{TODOS}{created.json()['id']}"
    for suffix in ("", "/"):
        fetched = call(server, "GET", path + suffix, token=account.access)
        assert fetched.status == 200
        assert fetched.headers["etag"] == created.headers["etag"]
    patched = call(server, "PATCH", path, token=account.access, body={"done": True})
    assert patched.status == 200
    assert patched.json()["completed_at"] is not None
    listed = call(server, "GET", f"{TODOS}?done=true", token=account.access)
    assert [todo["id"] for todo in listed.json()["results"]] == [created.json()["id"]]
    assert call(server, "DELETE", path, token=account.access).status == 204
    assert call(server, "GET", path, token=account.access).status == 404


def test_errors_are_json_through_gunicorn(server):
    account = sign_up(server)
    auth = {"Authorization": f"Bearer {account.access}"}
    cases = [
        ("GET", "/api/v1/missing/", b"", {}, 404),
        ("POST", TODOS, b'{"title": ', {"Content-Type": "application/json"}, 400),
        ("POST", TODOS, b"title=x", {"Content-Type": "text/plain"}, 415),
        (
            "POST",
            TODOS,
            json.dumps({"title": "big", "description": "x" * (2 * 1024 * 1024)}).encode(),
            {"Content-Type": "application/json"},
            413,
        ),
        ("GET", TODOS, b"", {"Authorization": "Bearer not.a.token"}, 401),
    ]
    for method, path, body, headers, expected in cases:
        status, response_headers, payload = raw_request(
            server, method, path, body, {**auth, **headers}
        )
        assert status == expected, (path, headers, status, payload[:200])
        assert response_headers["Content-Type"] == "application/json"
        assert "detail" in json.loads(payload) or expected == 400


def test_production_edges(server):
    # Plain http is redirected, the platform's health probe is not.
    status, headers, _ = raw_request(server, "GET", TODOS, b"", {"X-Forwarded-Proto": "http"})
    assert status == 301
    assert headers["Location"].startswith("https://")
    status, _, body = raw_request(
        server, "GET", HEALTH, b"", {"X-Forwarded-Proto": "http", "Host": "healthcheck.railway.app"}
    )
    assert (status, json.loads(body)) == (200, {"status": "healthy"})

    docs = call(server, "GET", "/api/docs/")
    assert docs.status == 200
    assert docs.headers["strict-transport-security"].startswith("max-age=")
    assert docs.headers["x-frame-options"] == "DENY"
    asset = docs.body.decode().split('src="/static/')[1].split('"')[0]
    static = call(server, "GET", f"/static/{asset}")
    assert static.status == 200
    assert "max-age=315360000" in static.headers["cache-control"]
