"""The API's side of the domain errors: a service's refusal as DRF's field error."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from rest_framework import serializers

from core.exceptions import ApplicationError


@contextmanager
def field_errors(*, renamed: Mapping[str, str] | None = None) -> Iterator[None]:
    """
    Around a service call: an error it raises about one input field becomes
    DRF's ``ValidationError`` for that field, ``{field: [messages]}``, as the
    serializer's own would read (``renamed`` maps the service's name for the
    field to the API's). Other errors go on to the exception handler. The
    pages show the same errors with ``core.forms.add_application_error``.
    """
    try:
        yield
    except ApplicationError as error:
        if error.field is None:
            raise
        field = (renamed or {}).get(error.field, error.field)
        raise serializers.ValidationError({field: error.messages}, code=error.code) from error
