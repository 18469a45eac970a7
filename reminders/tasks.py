"""Reminders' background tasks: the pass beat sends, and each person's mail."""

import datetime

from celery import shared_task
from django.core.management import call_command

from core.jobs import MailTask, send_once
from reminders import emails


@shared_task
def send_due_reminders() -> None:
    """One pass (beat sends it every few minutes): ``manage.py send_reminders``, run by a worker."""
    call_command("send_reminders")


@shared_task(base=MailTask, bind=True)
def send_reminder(self: MailTask, *, user_id: int, day: str) -> None:
    """
    One person's mail of one local day, sent once however often it is delivered
    (the claim already made it the only one queued for that day).
    """
    send_once(
        f"reminder:{user_id}:{day}",
        lambda: emails.reminder_email_send(user_id=user_id, day=datetime.date.fromisoformat(day)),
    )
