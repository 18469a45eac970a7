"""The signed value in a reminder mail's unsubscribe link."""

from django.core import signing

from accounts.models import User

UNSUBSCRIBE_SALT = "reminders.unsubscribe"


def unsubscribe_token(*, user: User) -> str:
    """Good for as long as the signing key: it only ever turns reminders off."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"user": user.pk})


def user_from_unsubscribe_token(token: str) -> User | None:
    """The account an unsubscribe link was made for; ``None`` for a forged or mangled one."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    pk = value.get("user") if isinstance(value, dict) else None
    return User.objects.filter(pk=pk).first() if isinstance(pk, int) else None
