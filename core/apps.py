from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting plumbing every app uses; it imports no other app."""

    name = "core"
    verbose_name = "Service"

    def ready(self) -> None:
        # Importing them connects their signal receivers and registers the checks.
        from core import checks, jobs, metrics  # noqa: F401

        jobs.log_eager_mode()
