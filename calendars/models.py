from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    """
    A person's calendar feed: the secret address ``/calendar/<secret>.ics``.

    The secret itself is stored nowhere. It is an HMAC of ``seed`` under the
    service's signing key (so the API can show the address again), and the
    feed is found by the secret's SHA-256 (``secret_hash``): a copy of the
    database alone opens no feed. Replacing the seed kills the old address.
    Deleted with the account (CASCADE).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="calendar_feed",
    )
    seed = models.CharField(max_length=64)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last document served (its ETag) and when it last changed: the
    # feed's Last-Modified, which a deleted or finished todo moves too.
    etag = models.CharField(max_length=64, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of user {self.user_id}"
