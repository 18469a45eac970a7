"""Lists' background tasks: the invitation mail a request must not wait for."""

from celery import shared_task

from core.jobs import MailTask, send_once
from lists import emails


@shared_task(base=MailTask, bind=True)
def send_invitation_email(
    self: MailTask, *, invitation_id: int, accept_url: str, send_id: str
) -> None:
    """The mail of one invitation (``send_id``), sent once however often it is delivered."""
    send_once(
        send_id,
        lambda: emails.invitation_email_send(invitation_id=invitation_id, accept_url=accept_url),
    )
