from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting plumbing every app uses; it imports no other app."""

    name = "core"
    verbose_name = "Service"

    def ready(self) -> None:
        from core import jobs  # connects the task signal receivers

        jobs.log_eager_mode()
