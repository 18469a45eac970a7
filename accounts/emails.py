"""
The mails accounts sends, one function each, rendered from
``templates/email/<name>/`` (``core.mail``). Each is run by a task in
``accounts.tasks``, which a service queues on commit.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import make_verification_token
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


def verification_email_send(*, user_id: int, site_url: str) -> bool:
    """
    Mail a link that verifies the account's address, while it is active and
    unverified; say whether one was sent. The token is made now, at sending
    time, so a mail delayed by retries still carries one valid for three days.
    ``site_url`` (scheme and host) is where the web app's link points.
    """
    user = User.objects.filter(pk=user_id, is_active=True, email_verified=False).first()
    if user is None:
        return False
    token = make_verification_token(user)
    send_templated_mail(
        name="verify_email",
        to=[user.email],
        context={
            "name": user.name,
            "email": user.email,
            "token": token,
            "verify_link": site_url + reverse("accounts_web:verify-email", kwargs={"token": token}),
            "verify_path": reverse("accounts:verify-email"),
        },
    )
    return True


def sign_up_attempt_email_send(*, email: str, site_url: str) -> bool:
    """
    Tell the owner of an address that has an account that somebody tried to
    sign up with it, at most once an hour (``SIGN_UP_ATTEMPT_MAIL_INTERVAL``);
    say whether a mail was sent.

    It carries no token: only links to log in and to ask for a password reset.
    The hour is claimed before sending and given back if the send fails, so a
    flood of sign-ups on one address mails its owner once, and a retried send
    still goes out.
    """
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return False
    key = f"sign-up-attempt-mailed:{salted_hmac('sign-up-attempt', email).hexdigest()}"
    if not cache.add(key, 1, timeout=settings.SIGN_UP_ATTEMPT_MAIL_INTERVAL):
        return False
    try:
        send_templated_mail(
            name="sign_up_attempt",
            to=[user.email],
            context={
                "name": user.name,
                "email": user.email,
                "login_link": site_url + reverse("accounts_web:login"),
                "reset_link": site_url + reverse("accounts_web:password-reset"),
                "email_verified": user.email_verified,
            },
        )
    except BaseException:
        cache.delete(key)
        raise
    return True


def account_deleted_email_send(*, email: str, name: str) -> None:
    """Tell the address its account and everything in it are gone (the account itself is)."""
    send_templated_mail(name="account_deleted", to=[email], context={"name": name})
