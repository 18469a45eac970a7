"""
Deleting an account under real processes: gunicorn answers the DELETE and
queues the job in Redis; the tokens are dead before any worker runs; a Celery
worker then deletes everything and mails the confirmation to a loopback SMTP
sink, once.
"""

import time

import psycopg
import pytest

from tests.live import (
    ME,
    PASSWORD,
    REFRESH,
    REGISTER,
    TOKEN,
    LiveStack,
    SmtpSink,
    call,
    create_todo,
    requires_postgres,
    server_env,
    sign_up,
    wait_until,
)

pytestmark = [pytest.mark.live, requires_postgres]


def count(database: str, sql: str, account_id: int) -> int:
    with psycopg.connect(database) as connection:
        row = connection.execute(sql, [account_id]).fetchone()
    assert row is not None
    return int(row[0])


def confirmations(sink: SmtpSink, address: str) -> list:
    """The deletion's mails to ``address`` (signing up sends a verification mail too)."""
    return [mail for mail in sink.to(address) if mail["Subject"] == "Your todo account is deleted"]


def test_tokens_die_at_once_and_the_worker_deletes_everything_then_mails_once(live: LiveStack):
    redis, sink, database = live.redis(), live.smtp_sink(), live.database()
    env = server_env(
        database,
        REDIS_URL=redis.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        **sink.mail_env(),
        ACCOUNT_ERASE_BATCH_SIZE="2",
    )
    server = live.server(env)
    account = sign_up(server)
    for title in ("one", "two", "three", "four", "five"):
        create_todo(server, account, title)
    second = call(server, "POST", TOKEN, body={"email": account.email, "password": PASSWORD})
    assert second.status == 200, second

    deleted = call(server, "DELETE", ME, token=account.access, body={"password": PASSWORD})

    assert deleted.status == 202, deleted
    # No worker yet: the job waits in Redis, and the account is already shut.
    for tokens in ({"access": account.access, "refresh": account.refresh}, second.json()):
        assert call(server, "GET", ME, token=tokens["access"]).status == 401
        assert call(server, "POST", REFRESH, body={"refresh": tokens["refresh"]}).status == 401
    signing_in = call(server, "POST", TOKEN, body={"email": account.email, "password": PASSWORD})
    assert signing_in.status == 401
    todos = "SELECT count(*) FROM todos_todo WHERE owner_id = %s"
    assert count(database, todos, account.id) == 5

    worker = live.celery_worker(env)
    wait_until(lambda: confirmations(sink, account.email), timeout=90)

    assert count(database, todos, account.id) == 0
    assert count(database, "SELECT count(*) FROM accounts_user WHERE id = %s", account.id) == 0
    tokens_left = "SELECT count(*) FROM token_blacklist_outstandingtoken WHERE user_id = %s"
    assert count(database, tokens_left, account.id) == 0
    again = call(server, "POST", REGISTER, body={"email": account.email, "password": PASSWORD})
    assert again.status == 202, again
    accounts = "SELECT count(*) FROM accounts_user WHERE email = %s AND id <> %s"
    with psycopg.connect(database) as connection:
        row = connection.execute(accounts, [account.email, account.id]).fetchone()
    assert row == (1,)  # a new account, with the same address
    assert account.email not in worker.log()
    time.sleep(2)
    assert len(confirmations(sink, account.email)) == 1
