import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = {"detail": "The service is temporarily unavailable. Try again shortly."}


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is too large."
    default_code = "request_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """
    DRF's handler, plus the one map from domain errors (``ApplicationError``,
    simplejwt's ``TokenError``) to HTTP, one body for every 401, 413 for a body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django
    refuses to read it) and 503 while the database is unreachable.
    """
    if isinstance(exc, ApplicationError):
        return Response(exc.body, status=exc.status_code)
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
    response = drf_exception_handler(exc, context)
    # Only an APIException becomes a 401 in DRF's handler.
    if (
        response is not None
        and response.status_code == status.HTTP_401_UNAUTHORIZED
        and isinstance(exc, APIException)
    ):
        response.data = authentication_error_body(exc)
    if response is None and is_database_unavailable(exc):
        logger.error("Database unavailable: %s", exc)
        response = Response(
            DATABASE_UNAVAILABLE,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return response


def authentication_error_body(exc: APIException) -> dict[str, str]:
    """
    The one 401 body: ``detail``, plus ``code`` when a token was refused
    (simplejwt's ``token_not_valid``). simplejwt's ``messages`` (which token
    classes were tried, and why each failed) is dropped: the code says it.
    """
    detail = exc.detail
    if isinstance(detail, dict):
        return {
            "detail": str(detail.get("detail", exc.default_detail)),
            "code": str(detail.get("code", exc.default_code)),
        }
    return {"detail": str(detail)}


def is_database_unavailable(exc: BaseException) -> bool:
    """Connection-level failures, as opposed to a bad query or a constraint."""
    return isinstance(exc, (OperationalError, InterfaceError))
