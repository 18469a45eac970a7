from typing import Any

from django.core.management.base import BaseCommand

from lists.services import invitations_purge_expired


class Command(BaseCommand):
    help = "Delete list invitations past their expiry (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = invitations_purge_expired()
        self.stdout.write(f"Deleted {deleted} expired invitation(s).")
