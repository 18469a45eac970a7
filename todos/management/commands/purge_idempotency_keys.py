from django.core.management.base import BaseCommand

from todos import services


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than 24 hours (run daily)."

    def handle(self, *args, **options):
        deleted = services.idempotency_keys_purge()
        self.stdout.write(f"Deleted {deleted} expired idempotency key(s).")
