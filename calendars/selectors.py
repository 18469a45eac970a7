"""Reads of calendar feeds."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from calendars import keys
from calendars.models import CalendarFeed
from todos import selectors as todo_selectors
from todos.models import Todo


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


def feed_todos(*, user: User, now: datetime.datetime) -> QuerySet[Todo]:
    """
    The todos a person's feed shows: open, on a list they can see, due from
    ``CALENDAR_FEED_PAST_DAYS`` days before their local today on, the earliest
    first, at most ``CALENDAR_FEED_MAX_EVENTS`` of them. A calendar shows what
    is near; a person with 100,000 dated todos costs the same bounded document.
    """
    today = now.astimezone(ZoneInfo(user.time_zone)).date()
    since = today - datetime.timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    todos = todo_selectors.todos_due_from(owner=user, day=since)
    return todos[: settings.CALENDAR_FEED_MAX_EVENTS]
