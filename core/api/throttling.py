import math
from typing import TYPE_CHECKING, cast

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django_redis.cache import RedisCache
from rest_framework import throttling
from rest_framework.settings import api_settings

# For annotations only: rest_framework.views imports the classes the settings
# name (throttles, pagination, filters), so importing it here would be circular.
if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AtomicWindowMixin(throttling.SimpleRateThrottle):
    """
    Count requests with one atomic increment per window.

    DRF's throttles read a history from the cache, append and write it back:
    requests that arrive together all read the same history and all get in.
    An increment is atomic in Redis (and in local memory), so concurrent
    requests on any worker or instance are counted exactly. A window opens
    at a client's first request and lasts the rate's period. The rate is
    read from the settings at each request, not once at import.

    In Redis a request costs one round trip, a plain ``INCR``; the window's
    expiry is set by the request that opened it, and Retry-After is the key's
    time to live, asked only when a request is refused.
    """

    # Parsed from the rate by SimpleRateThrottle.__init__; read only when there is one.
    num_requests: int
    duration: int
    retry_after: int

    def get_rate(self) -> str | None:
        # The stubs type the rates as numbers; they are "N/period" strings.
        rates = cast("dict[str | None, str | None]", api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope)

    def allow_request(self, request: "Request", view: "APIView") -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        # DRF's ``cache`` is Django's proxy to the default cache, which hides
        # the backend's type; the backend itself says whether it is Redis.
        in_redis = isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache)
        count = (self._redis_count if in_redis else self._count)(key)
        if count is None:
            # The cache is unreachable (django-redis ignores and logs the
            # error): serve the request rather than fail it.
            return True
        if count > self.num_requests:
            seconds_left = self._redis_seconds_left if in_redis else self._seconds_left
            self.retry_after = seconds_left(key)
            return False
        return True

    def _redis_count(self, key: str) -> int | None:
        cache = cast("RedisCache", self.cache)
        count: int | None = cache.incr(key, ignore_key_check=True)
        if count == 1:
            cache.expire(key, self.duration)
        return count

    def _redis_seconds_left(self, key: str) -> int:
        cache = cast("RedisCache", self.cache)
        seconds: int | None = cache.ttl(key)
        if seconds is None:
            # No expiry: the process that opened the window died before
            # setting it. Close this window a period from now.
            cache.expire(key, self.duration)
            seconds = self.duration
        return seconds or 0

    def _count(self, key: str) -> int:
        now = self.timer()
        if self.cache.add(key, 0, self.duration):
            self.cache.set(f"{key}:opened", now, self.duration)
        try:
            return self.cache.incr(key)
        except ValueError:  # the window closed between add and incr
            return 1

    def _seconds_left(self, key: str) -> int:
        now = self.timer()
        opened: float = self.cache.get(f"{key}:opened", now)
        return math.ceil(opened + self.duration - now)

    def wait(self) -> float:
        return max(self.retry_after, 1)


class AnonRateThrottle(AtomicWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(AtomicWindowMixin, throttling.UserRateThrottle):
    pass


class AuthRateThrottle(AtomicWindowMixin):
    """
    One shared budget per client IP over the endpoints that check or reset a
    password, whether or not the caller is signed in.
    """

    scope = "auth"

    def get_cache_key(self, request: "Request", view: "APIView") -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
