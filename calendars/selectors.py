"""Reads of calendar feeds."""

from accounts.models import User
from calendars import keys
from calendars.models import CalendarFeed


def feed_secret(*, user: User) -> str | None:
    """The secret of the person's live feed, to show its address again; ``None`` without one."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return None
    secret = keys.secret_for(feed.seed)
    # A feed made under another signing key is dead: its address no longer opens it.
    return secret if keys.secret_hash(secret) == feed.secret_hash else None


def feed_for_secret(*, secret: str) -> CalendarFeed | None:
    """The live feed this secret opens, with its active owner; ``None`` for any other secret."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(secret_hash=keys.secret_hash(secret), user__is_active=True)
        .first()
    )
    if feed is None or not keys.is_secret_of(feed.seed, secret):
        return None
    return feed
