"""Two sign-ups with one address at the same moment: the loser is answered as any taken address."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from accounts.models import User
from accounts.services import SIGN_UP_ACCEPTED
from accounts.tests.utils import REGISTER, STRONG_PASSWORD
from tests.clients import make_client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: an uncommitted row must block a second connection's insert "
        "(set DATABASE_URL=postgres://...)",
    ),
]


def lock_waiters() -> int:
    """Backends waiting for another transaction to end (pg_locks is never cached)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def wait_for_a_lock_waiter(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while lock_waiters() == 0:
        assert time.monotonic() < deadline, "the second sign-up never reached its insert"
        time.sleep(0.05)


def test_a_registration_that_loses_the_race_answers_as_for_a_taken_address():
    """
    The first sign-up's row is inserted but not yet committed, so the second
    one's duplicate check sees nothing and its insert waits on the unique
    index; when the first commits, that insert fails, and the answer is the
    202 of any taken address, with the owner's mail. Deterministic: the
    test holds the first transaction open until the second is waiting.
    """
    result: dict = {}

    def second_signup() -> None:
        client = make_client()
        client.raise_request_exception = False
        try:
            result["response"] = client.post(
                REGISTER, {"email": "RACE@example.com", "password": STRONG_PASSWORD}
            )
        finally:
            connection.close()

    with transaction.atomic():
        User.objects.create(email="race@example.com")
        thread = threading.Thread(target=second_signup)
        thread.start()
        wait_for_a_lock_waiter()
    thread.join(timeout=30)

    assert not thread.is_alive()
    response = result["response"]
    assert response.status_code == 202, response.content
    assert response.json() == {"detail": SIGN_UP_ACCEPTED, "email": "race@example.com"}
    assert User.objects.filter(email__iexact="race@example.com").count() == 1
    assert [message.subject for message in mail.outbox] == [
        "Someone tried to sign up with your address"
    ]
