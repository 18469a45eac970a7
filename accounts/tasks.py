"""Accounts' background tasks: the mail a request must not wait for, and account deletion."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.db import DatabaseError

from accounts import emails, erasure
from core.jobs import MailTask, Task, send_once


@shared_task(base=MailTask, bind=True)
def send_password_reset_email(
    self: MailTask, *, email: str, send_id: str, reset_url: str = ""
) -> None:
    """The reset mail of one request (``send_id``), sent once however often it is delivered."""
    send_once(send_id, lambda: emails.password_reset_email_send(email=email, reset_url=reset_url))


@shared_task(base=MailTask, bind=True)
def send_verification_email(self: MailTask, *, user_id: int, send_id: str, site_url: str) -> None:
    """The verification mail of one sign-up or resend (``send_id``), sent once."""
    send_once(send_id, lambda: emails.verification_email_send(user_id=user_id, site_url=site_url))


@shared_task(base=MailTask, bind=True)
def send_sign_up_attempt_email(self: MailTask, *, email: str, send_id: str, site_url: str) -> None:
    """The mail to an address's owner about a sign-up with it (``send_id``), sent once."""
    send_once(send_id, lambda: emails.sign_up_attempt_email_send(email=email, site_url=site_url))


@shared_task(
    base=Task,  # the app's own base, named for the type checker (delay_on_commit)
    # A database error or the time limit part-way: the next try carries on
    # (each batch is committed).
    autoretry_for=(DatabaseError, SoftTimeLimitExceeded),
    retry_backoff=True,
    retry_kwargs={"max_retries": 20},
)
def erase_account(*, user_id: int, email: str, name: str) -> None:
    """
    Delete an account whose deletion was asked for, then queue the confirmation
    mail. Only the run that deletes the account's row queues it, so a retry, a
    redelivery or a second job running at the same time mails nobody again.
    """
    if erasure.user_erase(user_id=user_id):
        send_account_deleted_email.delay_on_commit(
            email=email, name=name, send_id=f"account-deleted:{user_id}"
        )


@shared_task(base=MailTask, bind=True)
def send_account_deleted_email(self: MailTask, *, email: str, name: str, send_id: str) -> None:
    """The confirmation of a deleted account (``send_id``), sent once however often delivered."""
    send_once(send_id, lambda: emails.account_deleted_email_send(email=email, name=name))


@shared_task
def erase_overdue_accounts() -> None:
    """Beat's hourly sweep: ``manage.py erase_overdue_accounts``, run by a worker."""
    call_command("erase_overdue_accounts", verbosity=0)
