"""``manage.py send_reminders [--now ISO-8601]``: one reminder pass."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reminders.services import reminders_send_due


def aware_datetime(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now is not an ISO 8601 date-time: {value!r}") from exc
    if timezone.is_naive(moment):
        raise CommandError(f"--now needs a UTC offset, e.g. {value}+00:00 or {value}Z")
    return moment


class Command(BaseCommand):
    help = (
        "Claim the reminders due now and queue their mail (each person's once a local day). "
        "--now sets the pass's clock, for checks and tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="the pass's clock, an ISO 8601 date-time with its offset (default: now)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = aware_datetime(options["now"]) if options["now"] else timezone.now()
        claimed = reminders_send_due(now=now)
        self.stdout.write(f"{len(claimed)} reminders claimed at {now.isoformat()}")
