from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "lists"

    def ready(self) -> None:
        # Every account gets its inbox as it is made, whichever way it is made.
        from lists import signals  # noqa: F401
