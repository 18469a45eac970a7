"""Reads from accounts."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts import tokens
from accounts.models import User
from core.exceptions import ValidationFailed

VERIFICATION_LINK_INVALID = (
    "The verification link is not valid: check that it was copied whole, or ask for a new one."
)
VERIFICATION_LINK_EXPIRED = (
    "The verification link has expired (links last 3 days): ask for a new one."
)
VERIFICATION_LINK_USED = "The verification link was already used: the address is verified."


def user_from_reset_token(*, uid: str, token: str) -> User | None:
    """The active user a reset link was made for, while the link is valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def user_from_verification_token(*, token: str, lock: bool = False) -> User:
    """
    The account a verification token was made for, while it is good: signed
    by us, under three days old, and the account still unverified at that
    address. ``ValidationFailed`` on ``token`` otherwise, saying which.
    ``lock``: the row is locked for the rest of the transaction.
    """
    try:
        user_id, state = tokens.read_verification_token(token)
    except tokens.TokenRefused as exc:
        expired = exc.problem is tokens.TokenProblem.EXPIRED
        message = VERIFICATION_LINK_EXPIRED if expired else VERIFICATION_LINK_INVALID
        raise ValidationFailed(message, field="token") from exc
    users = User.objects.select_for_update() if lock else User.objects.all()
    user = users.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationFailed(VERIFICATION_LINK_INVALID, field="token")
    if not tokens.matches_state(user, state):
        # Verified since (this link or another), or mailed for another address.
        used = user.email_verified
        raise ValidationFailed(
            VERIFICATION_LINK_USED if used else VERIFICATION_LINK_INVALID, field="token"
        )
    return user
