"""Reads of reminder schedules."""

import datetime

from django.db.models import QuerySet

from reminders.models import ReminderSchedule


def schedules_due(*, now: datetime.datetime) -> QuerySet[ReminderSchedule]:
    """
    The schedules due at ``now``, earliest first, with their people: one range
    read of the ``due_at`` index, whatever the number of schedules not due.
    """
    return (
        ReminderSchedule.objects.filter(due_at__lte=now)
        .select_related("user")
        .order_by("due_at", "user_id")
    )
