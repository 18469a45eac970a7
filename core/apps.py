from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting plumbing every app uses; it imports no other app."""

    name = "core"
    verbose_name = "Service"
