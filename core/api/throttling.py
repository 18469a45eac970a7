import math

from rest_framework import throttling
from rest_framework.settings import api_settings


class AtomicWindowMixin:
    """
    Count requests with one atomic increment per window.

    DRF's throttles read a history from the cache, append and write it back:
    requests that arrive together all read the same history and all get in.
    ``cache.incr`` is atomic in Redis (and in local memory), so concurrent
    requests on any worker or instance are counted exactly. A window opens
    at a client's first request and lasts the rate's period. The rate is
    read from the settings at each request, not once at import.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        if self.cache.add(key, 0, self.duration):
            self.cache.set(f"{key}:opened", now, self.duration)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window closed between add and incr
            count = 1
        if count is None:
            # The cache is unreachable (django-redis ignores and logs the
            # error): serve the request rather than fail it.
            return True
        if count > self.num_requests:
            opened = self.cache.get(f"{key}:opened", now)
            self.retry_after = math.ceil(opened + self.duration - now)
            return False
        return True

    def wait(self):
        return max(self.retry_after, 1)


class AnonRateThrottle(AtomicWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(AtomicWindowMixin, throttling.UserRateThrottle):
    pass


class AuthRateThrottle(AtomicWindowMixin, throttling.SimpleRateThrottle):
    """
    One shared budget per client IP over the endpoints that check or reset a
    password, whether or not the caller is signed in.
    """

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
