"""
Serializer fields that refuse JSON of the wrong type instead of coercing it,
and the text rules they enforce, spelled as regular expressions that mean the
same to Python's ``re`` and to ECMAScript (the dialect of OpenAPI's ``pattern``).
"""

import datetime
import re
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Exactly what ``str.strip()`` removes (every character whose ``isspace()`` is
# true), and so what a trimmed field ignores around its value. Spelled out
# because ``\s`` differs between the two dialects (U+001C-U+001F, U+FEFF).
WHITESPACE = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000"
)
# PostgreSQL text cannot hold NUL, and DRF refuses it in every string.
NO_NUL_PATTERN = r"^[^\u0000]*$"
# Not blank once trimmed: at least one character that is neither whitespace nor NUL.
NOT_BLANK_PATTERN = rf"^[^\u0000]*[^{WHITESPACE}\u0000][^\u0000]*$"

# The addresses Django's EmailValidator accepts, less the rare forms (quoted
# local parts, IP literals, non-ASCII or bare ``localhost`` domains): a
# dot-atom, then host labels, then a top-level domain of letters. One rule
# for the server and the schema, so that ``0@0.a`` is refused by both.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_REGEX = rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z][A-Za-z-]{{0,61}}[A-Za-z]"
# As sent: the field trims the whitespace around the address before checking it.
EMAIL_PATTERN = rf"^[{WHITESPACE}]*{EMAIL_REGEX}[{WHITESPACE}]*$"
INVALID_EMAIL = "Enter a valid email address."
# A time of day on the 24-hour clock, to the minute: 00:00 to 23:59.
HOUR_MINUTE_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class StrictCharField(serializers.CharField):
    """
    Strings only, and ``max_length`` counts the string as sent, the way the
    schema's ``maxLength`` does, not what is left after trimming.
    """

    default_error_messages = {"invalid": "Must be a string."}

    def __init__(self, *, schema_pattern: str | None = None, **kwargs: Any) -> None:
        # What the schema says the API refuses, when a service refuses more
        # than the field does (``core.api.schema.AutoSchema``).
        super().__init__(**kwargs)
        if schema_pattern is not None:
            self.schema_pattern = schema_pattern

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictEmailField(StrictCharField, serializers.EmailField):
    """An address by ``EMAIL_REGEX`` (which Django's validator accepts too)."""

    default_error_messages = {"invalid": INVALID_EMAIL}
    schema_pattern = EMAIL_PATTERN

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(rf"^{EMAIL_REGEX}\Z", INVALID_EMAIL, "invalid"))


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictDateField(serializers.DateField):
    """Dates only as ISO 8601 strings: a number is an error, not a date."""

    def to_internal_value(self, value: Any) -> datetime.date:
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "pattern": HOUR_MINUTE_PATTERN, "example": "08:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day as ``HH:MM`` (24-hour), read and written the same way."""

    default_error_messages = {"invalid": "Enter a time as HH:MM, from 00:00 to 23:59."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)

    def to_internal_value(self, value: Any) -> datetime.time:
        if not isinstance(value, str) or not re.fullmatch(HOUR_MINUTE_PATTERN, value):
            self.fail("invalid")
        return super().to_internal_value(value)
