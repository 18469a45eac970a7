from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

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
    template_name = "home.html"


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """
    ``/favicon.ico``, which browsers ask for on pages that name no icon (the
    API docs, the admin, JSON). Pages of ours link the hashed static copy.
    """
    return FileResponse(open(finders.find(FAVICON), "rb"), content_type="image/x-icon")


class SelfHostedDocsMixin:
    def finalize_response(self, request, response, *args, **kwargs):
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
