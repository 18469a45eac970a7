from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Daily housekeeping: delete expired refresh tokens (simplejwt's "
        "flushexpiredtokens), idempotency keys older than a day, expired web sessions "
        "(Django's clearsessions) and expired list invitations. Safe to run any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("flushexpiredtokens", verbosity=options["verbosity"])
        call_command("purge_idempotency_keys", verbosity=options["verbosity"])
        call_command("clearsessions", verbosity=options["verbosity"])
        call_command("purge_invitations", verbosity=options["verbosity"])
