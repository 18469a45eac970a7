"""
The pages every app shares: the home page, the favicon, and the error pages
(JSON under ``/api/``, HTML elsewhere).
"""

from typing import Any, cast

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.paths import is_api_path

FAVICON = "core/favicon.ico"


class HomeView(TemplateView):
    """What the service is, for anybody; a signed-in person goes straight to their todos."""

    template_name = "home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("todos_web:list")
        return super().get(request, *args, **kwargs)


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """
    ``/favicon.ico``, which browsers ask for on pages that name no icon (the
    API docs, the admin, JSON). Pages of ours link the hashed static copy.
    """
    path = cast(str, finders.find(FAVICON))  # core/static ships it
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


def _wants_json(request: HttpRequest) -> bool:
    return is_api_path(request.path)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {
                "detail": "You do not have permission to perform this action.",
                "code": "permission_denied",
            },
            status=403,
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """
    A form sent with a stale or missing CSRF token (a page left open across a
    sign-in, cookies blocked): say so, and link back to the page it came from.
    """
    if _wants_json(request):
        return JsonResponse(
            {"detail": "CSRF verification failed.", "code": "csrf_failed"}, status=403
        )
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return render(request, "403_csrf.html", {"back": back}, status=403)
