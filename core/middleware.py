"""
The project's middleware, in the order ``MIDDLEWARE`` runs them: a request id
and one log line per request, no ``Referer`` from a page whose address is a
key, ``/metrics`` and ``/health`` answered before
host validation, ``/api/`` paths with or without their trailing slash, the
pages of a signed-in person kept out of caches, the pages' middleware,
which the API's endpoints skip, and a domain error raised under a page
answered with its error page.
"""

import hmac
import ipaddress
import logging
import re
import time
import uuid
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import sentry_sdk
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty
from django_htmx.middleware import HtmxMiddleware

from core.exceptions import ApplicationError
from core.logging import ACCESS_LOGGER, request_id_var
from core.paths import (
    HEALTH_PATHS,
    METRICS_PATHS,
    PROBE_PATHS,
    is_api_endpoint_path,
    is_api_path,
    is_secret_path,
    mask_secret_paths,
)

access_logger = logging.getLogger(ACCESS_LOGGER)

REQUEST_ID_HEADER = "X-Request-ID"
# Visible ASCII only: nothing a log line or a response header could be forged with.
SANE_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,128}")
# Headers a reverse proxy adds: their presence means REMOTE_ADDR is the proxy.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def request_id_from(header: str | None) -> str:
    """The caller's id when it is sane, so one id follows a request across services."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """
    Give every request an id and log it once, when the response is ready.

    The id comes from ``X-Request-ID`` (or is generated), is echoed in the
    response, tags Sentry events, and is stamped on every log line emitted
    while the request is handled. It must be the outermost middleware so that
    requests answered early (``/health``, ``/metrics``, redirects) are covered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        # Before any middleware completes it; a key in the path is masked.
        path = mask_secret_paths(request.path)
        token = request_id_var.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            access_logger.log(
                access_level(path, status),
                "%s %s %s %.2fms",
                request.method,
                path,
                status,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def access_level(path: str, status: int) -> int:
    """Server errors stand out; successful probes stay out of the INFO stream."""
    if status >= 500:
        return logging.ERROR
    # Probes answered many times a minute: at DEBUG while they succeed.
    if path in PROBE_PATHS and status < 400:
        return logging.DEBUG
    return logging.INFO


class SecretPathReferrerMiddleware:
    """
    A page whose address is a key (an unsubscribe, verification or reset
    link, ``core.paths``) is sent with ``Referrer-Policy: no-referrer``, so
    the browser names it in no ``Referer``, not even to this site's own
    static files and links (``same-origin`` elsewhere). Placed inside
    ``SecurityMiddleware``, which then keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_secret_path(request.path):
            response["Referrer-Policy"] = "no-referrer"
        return response


class MetricsMiddleware:
    """
    Serve ``/metrics`` to Prometheus, before host validation and the HTTPS redirect.

    A scraper inside the private network talks plain http to the container's
    address, like the platform's health probe. Anyone not allowed falls through
    to routing, where no URL matches: the answer is the site's ordinary 404, so
    the endpoint's existence is not revealed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info in METRICS_PATHS
            and request.method in {"GET", "HEAD"}
            and may_read_metrics(request)
        ):
            return metrics_response(request)
        return self.get_response(request)


def may_read_metrics(request: HttpRequest) -> bool:
    """The right bearer token, or a direct connection from a private address."""
    return has_metrics_token(request) or is_direct_private_client(request)


def has_metrics_token(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(credentials.strip().encode(), expected.encode())


def is_direct_private_client(request: HttpRequest) -> bool:
    """
    Whether the socket peer is a private or loopback address *and* is the client.

    Behind a proxy (``NUM_PROXIES`` > 0, or any forwarding header present)
    REMOTE_ADDR is the proxy, a private address relaying the whole internet:
    then only the token opens ``/metrics``.
    """
    if settings.REST_FRAMEWORK.get("NUM_PROXIES"):
        return False
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_private


def metrics_response(request: HttpRequest) -> HttpResponse:
    """django-prometheus's exposition: all workers' files when PROMETHEUS_MULTIPROC_DIR is set."""
    from django_prometheus.exports import ExportToDjangoView

    response: HttpResponse = ExportToDjangoView(request)
    return response


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


class PrivatePagesMiddleware:
    """
    A page answered to a signed-in person is sent with ``Cache-Control:
    private, no-store`` (Django's ``never_cache``, as on the log-in pages):
    no proxy or browser cache keeps their todos, profile or forms, nor shows
    them after logging out. A response that states its own caching (the
    favicon) keeps it; the API (bearer tokens, no session) is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not is_api_path(request.path_info)
            and "Cache-Control" not in response
            and signed_in_user_was_read(request)
        ):
            add_never_cache_headers(response)
        return response


# --- The pages' middleware, which the API's endpoints skip -----------------------

if TYPE_CHECKING:
    from django.utils.deprecation import MiddlewareMixin as _Middleware
else:
    _Middleware = object


class PagesOnlyMixin(_Middleware):
    """
    Requests to the API's endpoints pass straight through the middleware.

    The endpoints authenticate bearer tokens and answer JSON: they never read
    a session, the session's user, a message or an htmx header, and paid for
    setting each up on every request. Everything else (the pages, the admin,
    the API's schema and docs pages) keeps them. A view under ``/api/v1/``
    that is not DRF's would have no ``request.user`` or session: the API has
    none. Django's CSRF middleware stays as it is for every path: it costs an
    API request (no cookie, an exempt view) next to nothing, and
    ``check --deploy`` looks for it by name.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if is_api_endpoint_path(request.path_info):
            return self.get_response(request)
        return super().__call__(request)


class PageSessionMiddleware(PagesOnlyMixin, SessionMiddleware):
    pass


class PageAuthenticationMiddleware(PagesOnlyMixin, AuthenticationMiddleware):
    pass


class PageMessageMiddleware(PagesOnlyMixin, MessageMiddleware):
    pass


class PageHtmxMiddleware(PagesOnlyMixin, HtmxMiddleware):
    pass


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """
    django-csp's, with the API's endpoints given the policy built once.

    An API response has no nonce and no view that changes its policy, so
    django-csp built the same header for each one; it is now built on the
    first and reused. Pages keep django-csp's handling (nonces, per-view
    policies), and a response that set its own header keeps it.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not is_api_endpoint_path(request.path_info):
            super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not is_api_endpoint_path(request.path_info):
            return super().process_response(request, response)
        for header, policy in self.api_policies.items():
            if header not in response:
                response[header] = policy
        return response

    @cached_property
    def api_policies(self) -> dict[str, str]:
        policies = {HEADER: build_policy(), HEADER_REPORT_ONLY: build_policy(report_only=True)}
        return {header: policy for header, policy in policies.items() if policy}


ERROR_PAGES = {403: "403.html", 404: "404.html"}


class ApplicationErrorPageMiddleware:
    """
    The pages' one map from domain errors (``core.exceptions``) to HTTP: a
    service's error becomes its status and error page, with its message. (The
    API's map is ``core.api.exceptions``; DRF handles those before this.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError) or is_api_path(request.path_info):
            return None
        template = ERROR_PAGES.get(exception.status_code, "400.html")
        context = {"detail": " ".join(exception.messages)}
        return render(request, template, context, status=exception.status_code)


def signed_in_user_was_read(request: HttpRequest) -> bool:
    """
    Whether the view or its template looked at a signed-in user: only then can
    the page differ from person to person. The user is never loaded here (a
    session lookup, which a failing request must not add to its error).
    """
    # AuthenticationMiddleware sets a lazy object; ``empty`` until it is read.
    user = getattr(request.user, "_wrapped", request.user)
    return user is not empty and bool(user.is_authenticated)
