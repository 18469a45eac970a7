from typing import Any

from django.core.management.base import BaseCommand

from core.api.idempotency import idempotency_keys_purge


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than 24 hours (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency_keys_purge()
        self.stdout.write(f"Deleted {deleted} expired idempotency key(s).")
