"""
The pages' side of the per-IP ``auth`` budget: a page's POST that checks or
resets a password spends it, like the API's password endpoints
(``accounts.apis.AuthThrottledAPIMixin``) and the admin's password forms.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views import View

from core.api.throttling import AuthRateThrottle


def auth_throttle_spent(request: HttpRequest) -> HttpResponse | None:
    """
    Count a POST against the client's ``auth`` budget; once it is spent, the
    429 page to answer with.
    """
    if request.method != "POST":
        return None
    throttle = AuthRateThrottle()
    # It reads the client's address from META, which a Django request has; no view.
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return None
    wait = throttle.wait()
    response = render(request, "429.html", {"retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


class AuthThrottledPageMixin(View):
    """For a page's view: its POSTs count against the per-IP ``auth`` budget."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return auth_throttle_spent(request) or super().dispatch(request, *args, **kwargs)


def auth_throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The same budget for a function view (the admin's password forms)."""

    @wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return auth_throttle_spent(request) or view(request, *args, **kwargs)

    return throttled
