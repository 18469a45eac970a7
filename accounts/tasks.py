"""Accounts' background tasks: the mail a request must not wait for."""

from celery import shared_task

from accounts import emails
from core.jobs import MailTask, send_once


@shared_task(base=MailTask, bind=True)
def send_password_reset_email(
    self: MailTask, *, email: str, send_id: str, reset_url: str = ""
) -> None:
    """The reset mail of one request (``send_id``), sent once however often it is delivered."""
    send_once(send_id, lambda: emails.password_reset_email_send(email=email, reset_url=reset_url))
