from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    """A person's data taken out (export) and brought in (import): every app's, in one file."""

    name = "portability"
