"""
Email verification tokens: signed by the service, dead once used, expired after three days.

A token is Django's signing of ``[user id, state]`` with a timestamp. ``state``
is an HMAC (keyed on ``SECRET_KEY``) of the account's address and its verified
flag: verifying changes the flag, so a used token no longer matches; a token
mailed for another address does not either. Nothing is stored: the signature
and the account's current state are the whole check. The address is never
readable from a token (it is only inside the HMAC), though the account's id is.
"""

from datetime import timedelta
from enum import Enum

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

SALT = "accounts.email-verification"
MAX_AGE = timedelta(days=3)


class TokenProblem(Enum):
    """Why a token was refused, for a message that says what to do next."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


class TokenRefused(Exception):
    def __init__(self, problem: TokenProblem) -> None:
        self.problem = problem
        super().__init__(problem.value)


def _state(user: User) -> str:
    value = f"{user.pk}:{user.email}:{user.email_verified}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def make_verification_token(user: User) -> str:
    return signing.dumps([user.pk, _state(user)], salt=SALT)


def read_verification_token(token: str) -> tuple[int, str]:
    """
    The account id and state a token was made for, if its signature is good
    and it is younger than ``MAX_AGE``; ``TokenRefused`` otherwise.
    """
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenRefused(TokenProblem.EXPIRED) from exc
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as exc:
        raise TokenRefused(TokenProblem.INVALID) from exc
    match payload:
        case [int() as user_id, str() as state]:
            return user_id, state
    raise TokenRefused(TokenProblem.INVALID)


def matches_state(user: User, state: str) -> bool:
    """Whether the account is still as it was when the token was made (not verified since)."""
    return constant_time_compare(_state(user), state)
