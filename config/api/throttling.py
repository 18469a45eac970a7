from rest_framework import throttling
from rest_framework.settings import api_settings


class LiveRatesMixin:
    """Read the rate from the settings at each request, not once at import."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(LiveRatesMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(LiveRatesMixin, throttling.UserRateThrottle):
    pass


class AuthRateThrottle(LiveRatesMixin, throttling.SimpleRateThrottle):
    """
    One shared budget per client IP over the endpoints that check or reset a
    password, whether or not the caller is signed in.
    """

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
