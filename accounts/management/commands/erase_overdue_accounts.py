from typing import Any

from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = (
        "Queue the deletion job again for accounts asked to be deleted more than "
        "ACCOUNT_ERASE_OVERDUE_AFTER seconds ago and still there (beat runs it hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = services.users_erase_overdue()
        if options["verbosity"]:
            self.stdout.write(f"Queued {queued} account deletion(s) again.")
