from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View, defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.throttling import AuthRateThrottle
from core.paths import is_api_path

FAVICON = "core/favicon.ico"

# The API docs load nothing from another origin, and the browser enforces it:
# Redoc's bundle asks cdn.redoc.ly for its logo (blocked, the logo is then
# left out). Scripts are files, not inline; both UIs inject their styles, and
# Redoc runs its search in a worker made from a blob.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "worker-src 'self' blob:",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


class HomeView(TemplateView):
    """What the service is, for anybody; a signed-in person goes straight to their todos."""

    template_name = "home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("todos_web:list")
        return super().get(request, *args, **kwargs)


def auth_throttle_spent(request: HttpRequest) -> HttpResponse | None:
    """
    Count a POST that checks or resets a password against the client's
    ``auth`` budget, the one the API's password endpoints share; once it is
    spent, the 429 page to answer with.
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


class AuthThrottledMixin(View):
    """For a page's view: its POSTs count against the per-IP ``auth`` budget."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return auth_throttle_spent(request) or super().dispatch(request, *args, **kwargs)


def auth_throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The same budget for a function view (the admin's login)."""

    @wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return auth_throttle_spent(request) or view(request, *args, **kwargs)

    return throttled


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """
    ``/favicon.ico``, which browsers ask for on pages that name no icon (the
    API docs, the admin, JSON). Pages of ours link the hashed static copy.
    """
    path = cast(str, finders.find(FAVICON))  # core/static ships it
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


class SelfHostedDocsMixin(APIView):
    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(SelfHostedDocsMixin, SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served apart (``?script``) so no script is inline."""


class RedocView(SelfHostedDocsMixin, SpectacularRedocView):
    """Redoc, from ``templates/drf_spectacular/redoc.html`` (no web fonts from Google)."""


def _wants_json(request: HttpRequest) -> bool:
    return is_api_path(request.path)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """
    A form sent with a stale or missing CSRF token (a page left open across a
    sign-in, cookies blocked): say so, and link back to the page it came from.
    """
    if _wants_json(request):
        return JsonResponse({"detail": "CSRF verification failed."}, status=403)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return render(request, "403_csrf.html", {"back": back}, status=403)
