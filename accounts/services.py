"""Writes to accounts. Views and serializers call these; they hold the rules."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import User, normalize_email

logger = logging.getLogger(__name__)


@transaction.atomic
def user_create(*, email: str, password: str, name: str = "") -> User:
    return User.objects.create_user(email=email, password=password, name=name)


def user_update(*, user: User, name: str) -> User:
    user.name = name
    user.save(update_fields=["name"])
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    """
    Set a new password and end every session the old one opened.

    Refresh tokens are blacklisted; access tokens carry a hash of the password
    hash (``CHECK_REVOKE_TOKEN``), so those issued before stop working too.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    user_revoke_refresh_tokens(user=user)


def user_revoke_refresh_tokens(*, user: User) -> int:
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(revoked)


def password_reset_request(*, email: str) -> None:
    """
    Mail a reset token when an active account has this address.

    Says nothing either way to the caller, so accounts cannot be enumerated;
    a failed send is logged, never raised.
    """
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    lines = [
        "Someone asked to reset the password of your todo account.",
        "If it was not you, ignore this message.",
        "",
    ]
    if settings.PASSWORD_RESET_URL:
        # Plain substitution: any other braces in the operator's link stay as they are.
        lines.append(settings.PASSWORD_RESET_URL.replace("{uid}", uid).replace("{token}", token))
    else:
        lines += [
            "Send these to POST /api/v1/auth/password/reset/confirm/ with your new password:",
            f"uid: {uid}",
            f"token: {token}",
        ]
    try:
        send_mail(
            subject="Reset your password",
            message="\n".join(lines),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        logger.exception("Could not send the password reset email to user %s", user.pk)
