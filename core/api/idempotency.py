"""
``Idempotency-Key`` on creates: a retry with the same key and body gets the
first answer again instead of a second resource, on any worker or instance.
"""

import json
import re
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.digest import json_sha256
from core.exceptions import Conflict
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


class IdempotencyKeyReused(Conflict):
    default_message = "This Idempotency-Key was already used with a different request body."
    code = "idempotency_key_reused"


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
