"""Mail rendered from templates: ``templates/email/<name>/`` holds each mail's parts."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_mail(
    *,
    name: str,
    to: Sequence[str],
    context: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
) -> None:
    """
    Render ``email/<name>/subject.txt``, ``body.txt`` and ``body.html`` and send them.

    The HTML part escapes every value, as any page does; the text parts turn
    escaping off (``{% autoescape off %}``): an ``&`` in a link stays one. The
    subject is folded to one line (a header cannot hold a newline).
    ``headers`` are added to the message's (``List-Unsubscribe``...).
    SMTP errors are raised, for the calling task to retry.
    """
    subject = " ".join(render_to_string(f"email/{name}/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{name}/body.txt", context),
        to=list(to),
        headers=dict(headers or {}),
    )
    message.attach_alternative(render_to_string(f"email/{name}/body.html", context), "text/html")
    message.send()
