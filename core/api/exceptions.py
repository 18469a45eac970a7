import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = {
    "detail": "The service is temporarily unavailable. Try again shortly.",
    "code": "service_unavailable",
}


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is too large."
    default_code = "request_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """
    DRF's handler, plus the one map from domain errors (``ApplicationError``,
    simplejwt's ``TokenError``) to HTTP, one body for every 401, 413 for a body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses to read it) and 503
    while the database is unreachable.

    Every ``{"detail": ...}`` body carries the error's machine-readable
    ``code`` beside it (DRF's, simplejwt's or ours); field errors keep DRF's
    ``{field: [messages]}``.
    """
    if isinstance(exc, ApplicationError):
        body = exc.body if exc.field else {**exc.body, "code": exc.code}
        return Response(body, status=exc.status_code)
    if isinstance(exc, TokenError):
        # A refresh token that does not decode, has expired or was revoked.
        exc = InvalidToken(exc.args[0])
        view, request = context.get("view"), context.get("request")
        if view is not None and request is not None:
            # Read by DRF's handler into WWW-Authenticate; not declared by the stubs.
            exc.auth_header = view.get_authenticate_header(request)  # type: ignore[attr-defined]
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(
            f"Request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        )
    # As DRF's handler does, so that the code below sees the APIException.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if (
        isinstance(exc, APIException)
        and response is not None
        and isinstance(response.data, dict)
        and "detail" in response.data
    ):
        if response.status_code == status.HTTP_401_UNAUTHORIZED:
            response.data = authentication_error_body(exc)
        else:
            response.data = {"detail": str(response.data["detail"]), "code": detail_code(exc)}
    if response is None and is_database_unavailable(exc):
        logger.error("Database unavailable: %s", exc)
        response = Response(
            DATABASE_UNAVAILABLE,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return response


def detail_code(exc: APIException) -> str:
    """The code of an exception whose detail is one message: DRF keeps it on the message."""
    code = getattr(exc.detail, "code", None)
    return str(code or exc.default_code)


def authentication_error_body(exc: APIException) -> dict[str, str]:
    """
    The one 401 body: ``detail`` and ``code`` (DRF's ``not_authenticated``,
    simplejwt's ``token_not_valid``...). simplejwt's ``messages`` (which token
    classes were tried, and why each failed) is dropped: the code says it.
    """
    detail = exc.detail
    if isinstance(detail, dict):
        return {
            "detail": str(detail.get("detail", exc.default_detail)),
            "code": str(detail.get("code", exc.default_code)),
        }
    return {"detail": str(detail), "code": detail_code(exc)}


def is_database_unavailable(exc: BaseException) -> bool:
    """Connection-level failures, as opposed to a bad query or a constraint."""
    return isinstance(exc, (OperationalError, InterfaceError))
