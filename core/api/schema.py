"""Shared pieces of the OpenAPI description: the error bodies every endpoint uses."""

import re
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core.api.fields import NO_NUL_PATTERN, NOT_BLANK_PATTERN


class JWTScheme(SimpleJWTScheme):
    """simplejwt's bearer scheme (``jwtAuth``), for its subclass in core.api.authentication."""

    target_class = "core.api.authentication.JWTAuthentication"


class AutoSchema(openapi.AutoSchema):
    """
    drf-spectacular's, made exact about two things it leaves loose.

    A response names every field as required: a serializer renders all of its
    readable fields, every time (``None`` for an empty one, which the field's
    ``nullable`` says); drf-spectacular reuses the input's ``required``, so a
    generated client would type ``done`` or ``description`` as optional. A
    serializer that only documents a body lists the keys it does not always
    carry in ``optional_fields``.

    A string field's input ``pattern`` says what the field refuses: NUL
    anywhere; for a trimmed field that may not be blank, a value of whitespace
    only; for an email field, what its rule refuses (``schema_pattern``).

    No string claims ``format: email``, in either direction: an address is
    checked by Django's rule (``EMAIL_REGEX`` for the API's), and JSON
    Schema's format (RFC 5321 with IDNA) is another one. It refuses the
    whitespace around an address that the field trims, and some addresses
    the server accepts and sends back: more than 64 characters before the
    ``@``, a label such as ``ab--c``.

    An operation open to anyone that reads no credentials states no security
    requirement, like simplejwt's token views: drf-spectacular's ``[{}]``
    means the same, but makes a generated client demand a token for it.
    """

    def get_auth(self) -> list[dict[str, Any]]:
        auth: list[dict[str, Any]] = super().get_auth()
        return [] if auth == [{}] else auth

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        serializer = force_instance(serializer)
        properties = schema.get("properties", {})
        for field in properties.values():
            if field.get("format") == "email":
                del field["format"]
        if direction == "response":
            required = set(properties) - set(getattr(serializer, "optional_fields", ()))
            if required:
                schema["required"] = sorted(required)
            return schema
        for name, field in serializer.fields.items():
            if name in properties and isinstance(field, serializers.CharField):
                pattern = getattr(field, "schema_pattern", None)
                if pattern is not None:
                    properties[name]["pattern"] = pattern
                elif "pattern" not in properties[name]:
                    blank_refused = field.trim_whitespace and not field.allow_blank
                    properties[name]["pattern"] = (
                        NOT_BLANK_PATTERN if blank_refused else NO_NUL_PATTERN
                    )
        return schema


#: The machine-readable ``code`` each error status may carry beside its
#: ``detail`` (core.api.exceptions): DRF's own, simplejwt's and ours.
ERROR_CODES: dict[int, tuple[str, ...]] = {
    400: ("parse_error",),
    401: (
        "not_authenticated",
        "authentication_failed",
        "no_active_account",
        "token_not_valid",
        "user_inactive",
        "user_not_found",
        "password_changed",
        "bad_authorization_header",
    ),
    403: ("permission_denied",),
    404: ("not_found",),
    405: ("method_not_allowed",),
    406: ("not_acceptable",),
    409: ("idempotency_key_in_use",),
    412: ("precondition_failed",),
    413: ("request_too_large",),
    415: ("unsupported_media_type",),
    422: ("idempotency_key_reused",),
    429: ("throttled",),
    503: ("service_unavailable",),
}

CODE_HELP = "What went wrong, for programs: the codes each status may carry are listed with it."


class ErrorSerializer(serializers.Serializer):
    """Every error answered with one message: ``detail``, and its ``code``."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text=CODE_HELP)


class AuthenticationErrorSerializer(serializers.Serializer):
    """Every 401 (``core.api.exceptions.authentication_error_body``)."""

    detail = serializers.CharField()
    code = serializers.CharField(
        help_text="`not_authenticated` (no credentials), `authentication_failed`, "
        "`no_active_account` (wrong email or password), `bad_authorization_header`; "
        "`token_not_valid` (expired, revoked, malformed, or of the wrong kind); "
        "`user_inactive`, `user_not_found` or `password_changed` for a token whose "
        "user can no longer sign in.",
    )


# 400 bodies: field name -> list of messages, or a single `detail` string and
# its `code` for a body that could not be parsed at all. Spelled out so clients
# (and the schema fuzzer) can rely on the shape.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

ERROR_BODIES = {400: VALIDATION_ERROR_SCHEMA, 401: AuthenticationErrorSerializer}

ERROR_DESCRIPTIONS = {
    400: "Invalid input: each field name (or `non_field_errors`) maps to a list of "
    "messages; a body that is not valid JSON gets a single `detail` string and a `code`.",
    401: "No valid access token (see the `WWW-Authenticate` header), or wrong credentials.",
    403: "Not allowed.",
    404: "Not found, or not yours.",
    406: "The `Accept` header does not allow JSON.",
    409: "A request with this `Idempotency-Key` is still being processed: retry later.",
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
        status: OpenApiResponse(
            response=ERROR_BODIES.get(status, ErrorSerializer),
            description=f"{ERROR_DESCRIPTIONS[status]} `code`: "
            + ", ".join(f"`{code}`" for code in ERROR_CODES[status])
            + ".",
        )
        for status in sorted({*statuses, 406, 503})
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


def refuse_nul_in_query_strings(
    result: dict, generator: object, request: object, public: bool
) -> dict:
    """
    drf-spectacular postprocessing hook: a free-form string query parameter
    (``search``) cannot hold NUL, which the API refuses like the database does.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                free_form = not {"enum", "format", "pattern"} & schema.keys()
                if parameter.get("in") == "query" and schema.get("type") == "string" and free_form:
                    schema["pattern"] = NO_NUL_PATTERN
    return result


def enum_identifier(value: str) -> str:
    """``Etc/GMT+5`` → ``ETC_GMT_PLUS_5``: a constant's name that keeps the sign."""
    spelled = re.sub(r"-(?=\d)", "_MINUS_", value.replace("+", "_PLUS_"))
    return re.sub(r"[^0-9A-Za-z]+", "_", spelled).strip("_").upper()


def name_enum_values(result: dict, generator: object, request: object, public: bool) -> dict:
    """
    drf-spectacular postprocessing hook: each string enum's values get
    constant names (``x-enum-varnames``, which client generators read), so
    time zones such as ``GMT+0``, ``GMT-0`` and ``GMT0`` stay distinct.
    """
    for schema in result.get("components", {}).get("schemas", {}).values():
        values = schema.get("enum")
        if values and all(isinstance(value, str) for value in values):
            names = [enum_identifier(value) for value in values]
            if len(set(names)) == len(names):
                schema["x-enum-varnames"] = names
    return result
