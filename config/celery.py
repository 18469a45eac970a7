"""
The Celery app, configured from Django's settings (the ``CELERY_`` ones).

    celery -A config worker      # runs the tasks (make worker)
    celery -A config beat        # sends the periodic ones (make beat)
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task's base: queued on commit, logged under its request's id (core/jobs.py).
app = Celery("config", task_cls="core.jobs:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py.
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs: object) -> None:
    """The worker logs like the web processes: JSON lines carrying the request id."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
