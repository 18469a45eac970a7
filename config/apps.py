from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package as an app: cross-cutting API plumbing and commands."""

    name = "config"
    verbose_name = "Service"
