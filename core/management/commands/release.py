from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# Any constant shared by every release of this service; it names the lock.
RELEASE_LOCK_ID = 7_311_022_301


class Command(BaseCommand):
    help = (
        "Run the release phase: apply migrations. On PostgreSQL an advisory lock makes "
        "concurrent releases take turns, so the second waits and then finds nothing to do."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with self.release_lock():
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Release complete."))

    @contextmanager
    def release_lock(self) -> Iterator[None]:
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            self.stdout.write("Waiting for the release lock...")
            cursor.execute("SELECT pg_advisory_lock(%s)", [RELEASE_LOCK_ID])
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RELEASE_LOCK_ID])
