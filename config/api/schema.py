"""Shared pieces of the OpenAPI description: the error bodies every endpoint uses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERROR_DESCRIPTIONS = {
    400: "Invalid input: each field name maps to a list of messages "
    "(`non_field_errors` or `detail` for the rest).",
    401: "No valid access token (see the `WWW-Authenticate` header).",
    403: "Not allowed.",
    404: "Not found, or not yours.",
    412: "`If-Match` does not match the current `ETag`: reload and try again.",
    413: "The request body is larger than 1 MiB.",
    415: "The body is not JSON.",
    422: "This `Idempotency-Key` was already used with a different body.",
    429: "Too many requests; see `Retry-After`.",
    503: "The database is unreachable; see `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the given error statuses, to merge into ``responses``."""
    return {
        code: OpenApiResponse(
            response=OpenApiTypes.OBJECT if code == 400 else ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
        )
        for code in statuses
    }
