"""Writes of calendar feeds."""

import datetime

from django.db import transaction

from accounts.models import User
from calendars import keys
from calendars.models import CalendarFeed


@transaction.atomic
def feed_create(*, user: User) -> str:
    """
    Give the person a feed with a new secret, replacing any they had (whose
    address stops working at once); the secret, for the caller to show.
    """
    seed = keys.new_seed()
    secret = keys.secret_for(seed)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"seed": seed, "secret_hash": keys.secret_hash(secret), "etag": ""},
    )
    return secret


def feed_delete(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_served(*, feed: CalendarFeed, etag: str, now: datetime.datetime) -> CalendarFeed:
    """
    Note the document just built: when it differs from the last one, it
    changed now (the feed's ``Last-Modified``), at least a second after the
    last change, since HTTP dates count whole seconds: a client holding the
    previous date never gets a 304 for a new document. One UPDATE, only on a change.
    """
    if feed.etag != etag:
        changed_at = now.replace(microsecond=0)
        if feed.changed_at is not None and changed_at <= feed.changed_at:
            changed_at = feed.changed_at + datetime.timedelta(seconds=1)
        feed.etag, feed.changed_at = etag, changed_at
        CalendarFeed.objects.filter(pk=feed.pk).update(etag=etag, changed_at=changed_at)
    return feed
