from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.paths import HEALTH_PATHS, is_api_path


class HealthCheckMiddleware:
    """
    Answer ``/health`` before host validation and the HTTPS redirect.

    Platform probes (Railway sends ``Host: healthcheck.railway.app``, Docker
    and Fly probe over plain http) must get an answer whatever host name or
    scheme they use; nothing but the database's liveness is disclosed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in HEALTH_PATHS and request.method in {"GET", "HEAD"}:
            return self.check()
        return self.get_response(request)

    @staticmethod
    def check() -> JsonResponse:
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return JsonResponse({"status": "unhealthy"}, status=503)
        return JsonResponse({"status": "healthy"})


class ApiTrailingSlashMiddleware:
    """
    Make every ``/api/`` path work with and without its trailing slash, for
    every method, without a redirect: the path is completed before routing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path_info) and not request.path_info.endswith("/"):
            request.path_info += "/"
            request.path += "/"
        return self.get_response(request)
