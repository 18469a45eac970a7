"""
``Idempotency-Key`` on creates: a retry with the same key and body gets the
first answer again instead of a second resource, on any worker or instance.
"""

import json
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.digest import json_sha256
from core.exceptions import ApplicationError
from core.models import IdempotencyKey

IDEMPOTENCY_KEY_TTL = timedelta(hours=24)
IDEMPOTENCY_KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
REPLAYED_HEADER = "Idempotent-Replayed"

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Retries with the same key and body create the resource once "
    "(keys last 24 hours, per user).",
    pattern=f"^{IDEMPOTENCY_KEY_PATTERN.pattern}$",
)
REPLAYED_PARAMETER = OpenApiParameter(
    REPLAYED_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    enum=["true"],
    description="Sent (as `true`) when this answer is the stored one of an earlier "
    "request with the same `Idempotency-Key`: nothing was created.",
    response=[201],
)


class IdempotencyKeyReused(ApplicationError):
    """The key of an earlier request sent with another body (the IETF draft's 422)."""

    status_code = 422
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used with a different request body."


class IdempotencyKeyInUse(ApplicationError):
    """The key of a request still being processed (the IETF draft's 409)."""

    status_code = 409
    code = "idempotency_key_in_use"
    default_message = (
        "A request with this Idempotency-Key is still being processed; try again shortly."
    )


#: PostgreSQL's SQLSTATE for a lock not granted within ``lock_timeout``.
LOCK_NOT_AVAILABLE = "55P03"


def limit_lock_wait(seconds: float) -> None:
    """
    Wait at most ``seconds`` for a row lock for the rest of the transaction.

    PostgreSQL only (``lock_timeout``, local to the transaction); SQLite runs
    one writer at a time, so no request there waits on another's key.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # 0 would mean no limit.
            milliseconds = max(1, round(seconds * 1000))
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])


def is_lock_not_available(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE


def idempotency_key(request: Request) -> str | None:
    """The request's ``Idempotency-Key``, if it sent one; a malformed one is a 400."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
        raise serializers.ValidationError(
            {"Idempotency-Key": ["Must be 1 to 255 visible ASCII characters."]}
        )
    return key


def idempotency_keys_purge(*, older_than: timedelta = IDEMPOTENCY_KEY_TTL) -> int:
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


class IdempotentCreateMixin(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """
    ``create`` honours ``Idempotency-Key`` (per user and ``idempotency_scope``).

    The resource and its key row are inserted in one transaction. A retry that
    races the first request waits on the first transaction's uncommitted key
    row (the unique constraint); when that commits, the retry's own insert is
    rolled back and the first answer replayed, marked ``Idempotent-Replayed``.
    A retry still waiting after ``IDEMPOTENCY_KEY_WAIT`` seconds is rolled
    back and answered 409: the first request is still being processed.
    The same key with another body is a 422.
    """

    idempotency_scope: str

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = idempotency_key(request)
        if key is None:
            return super().create(request, *args, **kwargs)
        return self._create_once(request, key, *args, **kwargs)

    def _create_once(self, request: Request, key: str, *args: Any, **kwargs: Any) -> Response:
        scoped = {"owner": request.user, "scope": self.idempotency_scope, "key": key}
        fingerprint = json_sha256(request.data)
        try:
            with transaction.atomic():
                response = super().create(request, *args, **kwargs)
                limit_lock_wait(settings.IDEMPOTENCY_KEY_WAIT)
                IdempotencyKey.objects.create(
                    **scoped,
                    request_fingerprint=fingerprint,
                    response_body=json.dumps(response.data, cls=DjangoJSONEncoder),
                )
                return response
        except IntegrityError:
            record = IdempotencyKey.objects.filter(**scoped).first()
            if record is None:
                raise
        except OperationalError as exc:
            if is_lock_not_available(exc):
                raise IdempotencyKeyInUse from exc
            raise
        if record.created_at < timezone.now() - IDEMPOTENCY_KEY_TTL:
            record.delete()
            return self._create_once(request, key, *args, **kwargs)
        if record.request_fingerprint != fingerprint:
            raise IdempotencyKeyReused
        return Response(
            json.loads(record.response_body),
            status=status.HTTP_201_CREATED,
            headers={REPLAYED_HEADER: "true"},
        )
