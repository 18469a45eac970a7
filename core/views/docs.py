"""The API's schema and its two readers, Swagger UI and Redoc, served from this site only."""

from typing import Any

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

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
