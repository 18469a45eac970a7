"""Shared pieces of the OpenAPI description: the error bodies every endpoint uses."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class NonBlankCharFieldExtension(OpenApiSerializerFieldExtension):
    """
    Say what DRF enforces on input: a trimmed field that may not be blank needs
    a non-space character (``"  "`` is refused like ``""``).

    Registered by being defined; this module is imported with the views.
    """

    target_class = serializers.CharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if direction == "request" and field.trim_whitespace and not field.allow_blank:
            schema.setdefault("pattern", r"\S")
        return schema


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# 400 bodies: field name -> list of messages, or a single `detail` string for a
# body that could not be parsed at all. Spelled out so clients (and the schema
# fuzzer) can rely on the shape.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

ERROR_DESCRIPTIONS = {
    400: "Invalid input: each field name (or `non_field_errors`) maps to a list of "
    "messages; a body that is not valid JSON gets a single `detail` string.",
    401: "No valid access token (see the `WWW-Authenticate` header), or wrong credentials.",
    403: "Not allowed.",
    404: "Not found, or not yours.",
    406: "The `Accept` header does not allow JSON.",
    412: "`If-Match` does not match the current `ETag`: reload and try again.",
    413: "The request body is larger than 1 MiB.",
    415: "The body is not JSON.",
    422: "This `Idempotency-Key` was already used with a different body.",
    429: "Too many requests; see `Retry-After`.",
    503: "The database is unreachable; see `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """
    Schema entries for the given error statuses, to merge into ``responses``.

    406 and 503 are always included: any request can ask for another media
    type, or meet a database outage.
    """
    return {
        code: OpenApiResponse(
            response=VALIDATION_ERROR_SCHEMA if code == 400 else ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
        )
        for code in sorted({*statuses, 406, 503})
    }


def allow_empty_query_values(
    result: dict, generator: object, request: object, public: bool
) -> dict:
    """
    drf-spectacular postprocessing hook: every query parameter may be sent
    empty (``?done=``), which the API reads as not sent at all, the way HTML
    forms send an unset field.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
