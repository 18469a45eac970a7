"""Project-wide periodic tasks, sent by beat (``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def cleanup() -> None:
    """The daily housekeeping of ``manage.py cleanup``, run by a worker."""
    call_command("cleanup")
