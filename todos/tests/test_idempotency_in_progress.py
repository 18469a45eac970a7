"""A create retried while the first request with its key is still being processed: a 409."""

import threading

import pytest
from django.db import connection, transaction

from accounts.tests.factories import UserFactory
from core.digest import json_sha256
from core.models import IdempotencyKey
from tests.clients import make_client
from todos.models import Todo

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: an uncommitted key row must hold up a second connection "
        "(set DATABASE_URL=postgres://...)",
    ),
]

LIST_URL = "/api/v1/todos/"
BODY = {"title": "Pay rent", "due_date": "2030-05-01"}


def post_in_another_connection(user, key: str) -> dict:
    """POST from a thread of its own (its own connection); the result once it is done."""
    result: dict = {}

    def post() -> None:
        try:
            result["response"] = make_client(user).post(
                LIST_URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key
            )
        finally:
            connection.close()

    thread = threading.Thread(target=post)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the retry waited for the first request to end"
    return result


def test_a_key_still_being_processed_answers_409_and_nothing_is_created(settings):
    settings.IDEMPOTENCY_KEY_WAIT = 0.2
    user = UserFactory.create()

    # The first request, caught between its insert of the key and its commit.
    with transaction.atomic():
        IdempotencyKey.objects.create(
            owner=user,
            scope="todos.create",
            key="k-busy",
            request_fingerprint=json_sha256(BODY),
            response_body="{}",
        )
        result = post_in_another_connection(user, "k-busy")
        transaction.set_rollback(True)

    response = result["response"]
    assert response.status_code == 409, response.content
    assert response.json() == {
        "detail": "A request with this Idempotency-Key is still being processed; "
        "try again shortly.",
        "code": "idempotency_key_in_use",
    }
    assert not Todo.objects.exists()
    # The first request gave up: the retry now creates.
    retry = make_client(user).post(LIST_URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-busy")
    assert retry.status_code == 201
    assert Todo.objects.count() == 1
