"""
Sharing a list end to end under real processes: gunicorn queues the
invitation mail in Redis, a Celery worker sends it to a loopback SMTP sink,
and a second account, verified through the API, accepts the invitation from
the mail and then reads and edits the shared todos.
"""

import re

import pytest
from django.test import override_settings

from accounts.models import User
from accounts.tokens import make_verification_token
from tests.live import (
    LiveStack,
    call,
    requires_postgres,
    server_env,
    sign_up,
    wait_until,
)
from tests.live.environment import SECRET_KEY

pytestmark = [pytest.mark.live, requires_postgres]


def verify(server, account) -> None:
    """Verify the account's address with a token as its verification mail would carry."""
    with override_settings(SECRET_KEY=SECRET_KEY):  # the live server's key
        token = make_verification_token(User(pk=account.id, email=account.email))
    verified = call(
        server, "POST", "/api/v1/auth/verify-email/", token=account.access, body={"token": token}
    )
    assert verified.status == 204, verified


def test_an_invitation_mailed_by_the_worker_is_accepted_and_the_todos_shared(
    live_module: LiveStack,
):
    redis = live_module.redis()
    sink = live_module.smtp_sink()
    env = server_env(
        live_module.database(),
        REDIS_URL=redis.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        **sink.mail_env(),
        EMAIL_TIMEOUT="3",
    )
    server = live_module.server(env)
    worker = live_module.celery_worker(env)
    owner, friend = sign_up(server), sign_up(server)

    made = call(server, "POST", "/api/v1/lists/", token=owner.access, body={"name": "Flat"})
    assert made.status == 201, made
    flat = made.json()["id"]
    todo = call(
        server, "POST", "/api/v1/todos/", token=owner.access, body={"title": "Bins", "list": flat}
    )
    assert todo.status == 201, todo

    invited = call(
        server,
        "POST",
        f"/api/v1/lists/{flat}/invitations/",
        token=owner.access,
        body={"email": friend.email, "role": "editor"},
    )
    assert invited.status == 202, invited

    # The friend's sign-up mailed them a verification link too: the invitation is the other mail.
    (message,) = wait_until(
        lambda: [m for m in sink.to(friend.email) if "shared" in str(m["Subject"])], timeout=60
    )
    (text,) = [part for part in message.walk() if part.get_content_type() == "text/plain"]
    payload = text.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert owner.email in body
    assert "Flat" in body
    link = re.search(r"https?://\S+/invitations/", body)
    assert link, body
    assert friend.email not in worker.log()

    # Not verified yet: told so, and nothing is shown.
    refused = call(server, "GET", "/api/v1/invitations/", token=friend.access)
    assert refused.status == 403, refused
    verify(server, friend)
    (pending,) = call(server, "GET", "/api/v1/invitations/", token=friend.access).json()
    assert pending["list"] == {"id": flat, "name": "Flat"}
    accepted = call(
        server, "POST", f"/api/v1/invitations/{pending['id']}/accept/", token=friend.access
    )
    assert accepted.status == 200, accepted
    assert accepted.json()["role"] == "editor"

    shared = call(server, "GET", "/api/v1/todos/", token=friend.access).json()["results"]
    assert [row["title"] for row in shared] == ["Bins"]
    edited = call(
        server,
        "PATCH",
        f"/api/v1/todos/{shared[0]['id']}/",
        token=friend.access,
        body={"done": True},
    )
    assert edited.status == 200, edited
    seen_by_owner = call(server, "GET", f"/api/v1/todos/{shared[0]['id']}/", token=owner.access)
    assert seen_by_owner.json()["done"] is True
