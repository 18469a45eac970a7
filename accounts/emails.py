"""
The mails accounts sends, one function each, rendered from
``templates/email/<name>/`` (``core.mail``). Each is run by a task in
``accounts.tasks``, which a service queues on commit.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from core.mail import send_templated_mail


def password_reset_email_send(*, email: str, reset_url: str = "") -> bool:
    """
    Mail a reset token when an active account has this address; say whether one was sent.

    The token is made now, at sending time, so a mail delayed by retries still
    carries one valid for ``PASSWORD_RESET_TIMEOUT``. ``reset_url`` (else
    ``PASSWORD_RESET_URL``) is the link, with ``{uid}`` and ``{token}``; without
    one the mail carries the two values for the API's confirm endpoint.
    """
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    reset_url = reset_url or settings.PASSWORD_RESET_URL
    send_templated_mail(
        name="password_reset",
        to=[user.email],
        context={
            "name": user.name,
            "uid": uid,
            "token": token,
            # Plain substitution: any other braces in the operator's link stay as they are.
            "reset_link": reset_url.replace("{uid}", uid).replace("{token}", token),
            "confirm_path": reverse("accounts:password-reset-confirm"),
        },
    )
    return True
