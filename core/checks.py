"""The service's own system checks (``manage.py check --deploy``)."""

from typing import Any

from django.conf import settings
from django.core import checks

CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

MAIL_TO_THE_LOGS = checks.Warning(
    "Mail is written to the console: EMAIL_HOST is not set, so every mail the service "
    "sends, with its password reset, verification, invitation and unsubscribe links, "
    "ends up in the logs instead of the inbox.",
    hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to an SMTP server.",
    id="core.W001",
)


@checks.register(checks.Tags.security, deploy=True)
def check_mail_is_sent(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """A deployment that mails into its logs hands sign-in links to whoever reads them."""
    return [MAIL_TO_THE_LOGS] if settings.EMAIL_BACKEND == CONSOLE_EMAIL_BACKEND else []
