"""Each feed's own request budget (``THROTTLE_RATE_CALENDAR``), whoever polls it."""

from typing import TYPE_CHECKING

from core.api.throttling import AtomicWindowMixin

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class CalendarFeedThrottle(AtomicWindowMixin):
    """
    Counted per feed (by the secret's hash: no secret in the cache), so a
    runaway client spends its own feed's budget and nobody else's.
    """

    scope = "calendar"

    def __init__(self, *, secret_hash: str) -> None:
        super().__init__()
        self.secret_hash = secret_hash

    def get_cache_key(self, request: "Request", view: "APIView") -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.secret_hash}
