"""The reset mail as a task: queued after the commit, the same work for every address, sent once."""

import logging

import pytest
from django.db import transaction
from django.test import TestCase, override_settings
from prometheus_client import REGISTRY

from accounts import services
from accounts.tasks import send_password_reset_email
from accounts.tests.test_password_reset import UnreachableSMTPBackend
from accounts.tests.utils import PASSWORD_RESET

pytestmark = pytest.mark.django_db

TASK = "accounts.tasks.send_password_reset_email"
UNREACHABLE = f"{UnreachableSMTPBackend.__module__}.{UnreachableSMTPBackend.__name__}"


def task_count(outcome: str) -> float:
    return REGISTRY.get_sample_value("celery_tasks_total", {"task": TASK, "outcome": outcome}) or 0


def test_the_mail_is_queued_when_the_request_commits_not_before(api_client, user, mailoutbox):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = api_client.post(PASSWORD_RESET, {"email": user.email})
        assert response.status_code == 202
    assert mailoutbox == []
    (enqueue,) = queued
    enqueue()
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_nothing_is_queued_when_the_transaction_rolls_back(user, mailoutbox):
    def ask_then_fail() -> None:
        with transaction.atomic():
            services.password_reset_request(email=user.email)
            raise RuntimeError("rolled back")

    with TestCase.captureOnCommitCallbacks(execute=True) as queued, pytest.raises(RuntimeError):
        ask_then_fail()
    assert queued == []
    assert mailoutbox == []


def test_the_request_does_the_same_work_whether_or_not_the_account_exists(
    api_client, user, django_assert_num_queries
):
    """No lookup in the request: each one queues one task, after no query at all."""
    for email in (user.email, "nobody@example.com"):
        with (
            django_assert_num_queries(0),
            TestCase.captureOnCommitCallbacks(execute=False) as queued,
        ):
            assert api_client.post(PASSWORD_RESET, {"email": email}).status_code == 202
        assert len(queued) == 1


def test_a_redelivered_task_mails_once(user, mailoutbox):
    kwargs = {"email": user.email, "send_id": "request-1"}
    send_password_reset_email.apply(kwargs=kwargs).get()
    send_password_reset_email.apply(kwargs=kwargs).get()
    assert len(mailoutbox) == 1
    send_password_reset_email.apply(kwargs={**kwargs, "send_id": "request-2"}).get()
    assert len(mailoutbox) == 2


def test_an_unknown_address_gets_no_mail_from_the_task(db, mailoutbox):
    send_password_reset_email.apply(kwargs={"email": "nobody@example.com", "send_id": "x"}).get()
    assert mailoutbox == []


def test_task_outcomes_are_counted(user, mailoutbox):
    succeeded, failed = task_count("succeeded"), task_count("failed")
    send_password_reset_email.apply(kwargs={"email": user.email, "send_id": "counted-1"})
    backend = f"{UnreachableSMTPBackend.__module__}.{UnreachableSMTPBackend.__name__}"
    with override_settings(EMAIL_BACKEND=backend):
        send_password_reset_email.apply(kwargs={"email": user.email, "send_id": "counted-2"})
    assert task_count("succeeded") == succeeded + 1
    assert task_count("failed") == failed + 1


def test_an_eager_run_logs_the_arguments_names_never_their_values(user, mailoutbox, caplog):
    """Celery's own lines (succeeded, failed) carry the task's arguments in their data."""
    with caplog.at_level(logging.INFO, logger="celery.app.trace"):
        send_password_reset_email.apply(kwargs={"email": user.email, "send_id": "logged-1"})
        with override_settings(EMAIL_BACKEND=UNREACHABLE):
            send_password_reset_email.apply(kwargs={"email": user.email, "send_id": "logged-2"})

    lines = [r for r in caplog.records if r.name == "celery.app.trace"]
    assert [r.levelno for r in lines] == [logging.INFO, logging.ERROR]
    for record in lines:
        assert record.data["kwargs"] == "{'email': '…', 'send_id': '…'}"
        assert user.email not in repr(vars(record))
