"""
Writes of reminders: keeping a person's schedule in step with their settings,
claiming the day's mail, and turning reminders off from a mail's link.

A day here is the person's local day, in ``User.time_zone``. Each schedule
holds the instant of the next mail (``due_at``) and the day of the last one
(``sent_on``); the next mail is always for a later day than the last, so
nothing (a second pass, a changed time or zone, a DST change) sends two mails
on one local day, and every day has its instant, so none is skipped.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from reminders import selectors
from reminders.models import ReminderSchedule
from reminders.tasks import send_reminder

logger = logging.getLogger(__name__)

#: Schedules read per query by a pass.
PASS_BATCH = 500


def local_instant(*, day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    """
    ``time`` on ``day`` in ``zone``, as an aware datetime. A wall time that a
    DST change skips (02:30 on a spring-forward night) is read with the offset
    before the change, so it falls just after it (03:30); a wall time that
    happens twice (autumn) is its first occurrence. Either way, one instant a day.
    """
    return datetime.datetime.combine(day, time, tzinfo=zone)


def reminder_schedule_sync(*, user: User, now: datetime.datetime) -> ReminderSchedule | None:
    """
    Put the person's schedule in step with their reminder time and zone (after
    either changed): the first mail is today's when today's is still to come or
    was missed, and never for a day that already had one.
    """
    if user.reminder_time is None:
        ReminderSchedule.objects.filter(user=user).delete()
        return None
    zone = ZoneInfo(user.time_zone)
    today = now.astimezone(zone).date()
    schedule = ReminderSchedule.objects.filter(user=user).first()
    sent_on = schedule.sent_on if schedule else None
    day = today if sent_on is None or sent_on < today else sent_on + datetime.timedelta(days=1)
    due_at = local_instant(day=day, time=user.reminder_time, zone=zone)
    schedule, _ = ReminderSchedule.objects.update_or_create(user=user, defaults={"due_at": due_at})
    return schedule


def reminder_claim(*, schedule: ReminderSchedule, now: datetime.datetime) -> datetime.date | None:
    """
    Claim the mail of the person's current local day: the day claimed, or
    ``None`` when another pass claimed it first (or their settings changed since
    ``schedule`` was read).

    One UPDATE conditional on the ``due_at`` that was read: of two passes (two
    beat schedulers, a redelivered task, two workers), the database lets exactly
    one move it; the other's UPDATE, waiting on the row, then matches nothing.
    A pass that runs late (past local midnight) claims the day it runs in.
    """
    user = schedule.user
    if user.reminder_time is None:
        return None
    zone = ZoneInfo(user.time_zone)
    day = now.astimezone(zone).date()
    if schedule.sent_on is not None and day <= schedule.sent_on:
        # A zone change moved the person back to a day that had its mail.
        day = schedule.sent_on + datetime.timedelta(days=1)
    next_due = local_instant(
        day=day + datetime.timedelta(days=1), time=user.reminder_time, zone=zone
    )
    claimed = ReminderSchedule.objects.filter(user_id=user.pk, due_at=schedule.due_at).update(
        due_at=next_due, sent_on=day
    )
    return day if claimed else None


def reminders_send_due(*, now: datetime.datetime) -> list[tuple[int, datetime.date]]:
    """
    One pass: claim every schedule due at ``now`` and queue its mail; the
    ``(user id, day)`` pairs claimed. The mail task sends nothing on a day
    with nothing due.

    Reads the due schedules a batch at a time, in ``(due_at, user)`` order from
    where the last batch ended; every claim moves its row past ``now``.
    """
    claimed: list[tuple[int, datetime.date]] = []
    after: tuple[datetime.datetime, int] | None = None
    while True:
        due = selectors.schedules_due(now=now)
        if after is not None:
            due = due.filter(Q(due_at__gt=after[0]) | Q(due_at=after[0], user_id__gt=after[1]))
        batch = list(due[:PASS_BATCH])
        for schedule in batch:
            day = reminder_claim(schedule=schedule, now=now)
            if day is not None:
                claimed.append((schedule.user_id, day))
                send_reminder.delay_on_commit(user_id=schedule.user_id, day=day.isoformat())
        if len(batch) < PASS_BATCH:
            break
        after = (batch[-1].due_at, batch[-1].user_id)
    if claimed:
        logger.info("Reminders claimed: %d", len(claimed))
    return claimed


@transaction.atomic
def reminders_turn_off(*, user: User) -> None:
    """No more reminder mail (the unsubscribe link)."""
    user.reminder_time = None
    user.save(update_fields=["reminder_time"])
    ReminderSchedule.objects.filter(user=user).delete()
