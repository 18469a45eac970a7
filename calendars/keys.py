"""The feed's secret: derived from the stored seed, never stored itself."""

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

SALT = "calendars.feed"


def new_seed() -> str:
    return secrets.token_hex(32)


def secret_for(seed: str) -> str:
    """The address's secret: 256 bits, URL-safe (43 characters)."""
    digest = salted_hmac(SALT, seed, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def secret_hash(secret: str) -> str:
    """What the database holds to find a feed by its secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def is_secret_of(seed: str, secret: str) -> bool:
    """The secret still derives from the seed (the signing key has not changed since)."""
    return hmac.compare_digest(secret_for(seed), secret)
