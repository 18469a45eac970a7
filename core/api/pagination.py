"""
Keyset pagination: a page costs the same on a list of a thousand rows or a million.

A page is the next ``page_size`` rows after (or, walking back, before) the
position in its cursor, fetched with one row value comparison on the list's
whole order, ``(key, id) > (%s, %s)``, which an index on ``(owner, key, id)``
answers as one range scan: no ``OFFSET``, no ``COUNT(*)``. Rows added or removed
between requests never make a page repeat or skip one.
"""

import base64
import datetime
import json
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.api.filters import SortKey, total_ordering
from core.expressions import RowComparison

# For annotations only: rest_framework.views imports the classes the settings
# name (throttles, pagination, filters), so importing it here would be circular.
if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


#: A cursor as ``CursorPagination.encode_cursor`` writes it: unpadded base64url.
CURSOR_PATTERN = "^[A-Za-z0-9_-]+$"

_ModelT = TypeVar("_ModelT", bound=models.Model)
_RowT = TypeVar("_RowT")


class Cursor(NamedTuple):
    """Where a page starts: after ``position`` (before it, if ``reverse``); ``None``: an end."""

    reverse: bool
    position: tuple[Any, ...] | None


class CursorPagination(pagination.CursorPagination):
    """
    ``next`` and ``previous`` are links with an opaque ``cursor``; there is no
    ``count``. ``?page_size=`` is a whole number from 1 (above 100 is capped to
    100). A cursor that does not decode, or was made for another ``ordering``,
    is a 400.
    """

    page_size_query_param = "page_size"
    max_page_size = 100
    ordering: str | list[str] | tuple[str, ...] = "-pk"
    # PAGE_SIZE from the settings, then the request's; the URL of the request.
    page_size: int
    base_url: str
    cursor_query_description = (
        "Where the page starts: take it from a `next` or `previous` link "
        "(base64url, unpadded; any other is refused with a 400)."
    )
    invalid_cursor_message = (
        "Invalid cursor: use the `next` and `previous` links as given, with the same `ordering`."
    )

    def paginate_queryset(
        self,
        queryset: models.QuerySet[_ModelT, _RowT],
        request: "Request",
        view: "APIView | None" = None,
    ) -> list[_RowT]:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        # DRF's reads the view with getattr: None is fine, though the stubs say otherwise.
        self.ordering = self.get_ordering(request, queryset, view)  # type: ignore[arg-type]
        self.keys = total_ordering(queryset.model, self.ordering)
        if len({key.descending for key in self.keys}) > 1:
            raise ImproperlyConfigured("Cursor pagination needs one direction for the whole order.")
        cursor = self.decode_cursor(request) or Cursor(reverse=False, position=None)
        self.reverse = cursor.reverse

        rows = queryset.order_by(*(key.order_by(reverse=cursor.reverse) for key in self.keys))
        if cursor.position is not None:
            beyond = "<" if self.keys[0].descending != cursor.reverse else ">"
            rows = rows.filter(
                RowComparison(
                    [key.column() for key in self.keys],
                    beyond,
                    [
                        key.value(value)
                        for key, value in zip(self.keys, cursor.position, strict=True)
                    ],
                )
            )
        page = self._fetch(rows, view)
        more = len(page) > self.page_size
        del page[self.page_size :]
        if cursor.reverse:
            page.reverse()

        first = self._position(page[0]) if page else None
        last = self._position(page[-1]) if page else None
        # An end of the list the cursor came from is an end: nothing lies past it.
        came_from_an_end = cursor.position is None
        if cursor.reverse:
            self.previous_cursor = Cursor(True, first) if more else None
            self.next_cursor = None if came_from_an_end else Cursor(False, last)
        else:
            self.next_cursor = Cursor(False, last) if more else None
            self.previous_cursor = None if came_from_an_end else Cursor(True, first)
        return page

    def _fetch(self, rows: models.QuerySet[_ModelT, _RowT], view: "APIView | None") -> list[_RowT]:
        """
        The page and one row more. A view whose rows lie in several partitions
        (a person's lists) may name them: ``page_partitions``, ``(field,
        values)``. An index on ``(field, key, id)`` serves one partition's order,
        not several at once, so the database would sort every row of every
        partition; on PostgreSQL the page is read instead as the first rows of
        each partition (one index range each, in a LATERAL join) merged in the
        page's order: the cost grows with the number of partitions, never with
        the rows in them.
        """
        limit = self.page_size + 1
        field, values = getattr(view, "page_partitions", None) or ("", [])
        if len(values) < 2 or connection.vendor != "postgresql":
            return list(rows[:limit])
        one = rows.filter(**{field: RawSQL('"partition"."value"', ())})[:limit]
        sql, params = one.query.sql_with_params()
        order = ", ".join(key.outer_order_by(reverse=self.reverse) for key in self.keys)
        merged = (
            f'SELECT "page".* FROM unnest(%s) AS "partition"("value") '  # noqa: S608 (no input)
            f'CROSS JOIN LATERAL ({sql}) AS "page" ORDER BY {order} LIMIT {limit}'
        )
        merged_params = (list(values), *params)
        if one.query.values_select or one.query.annotation_select:
            names = [*one.query.values_select, *one.query.annotation_select]
            with connection.cursor() as cursor:
                cursor.execute(merged, merged_params)
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]  # type: ignore[misc]
        # Not values(): whole rows, which are the model's instances.
        return cast("list[_RowT]", list(rows.model._default_manager.raw(merged, merged_params)))

    def get_next_link(self) -> str | None:
        return self._link(self.next_cursor)

    def get_previous_link(self) -> str | None:
        return self._link(self.previous_cursor)

    def _link(self, cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        if not cursor.reverse and cursor.position is None:
            return remove_query_param(self.base_url, self.cursor_query_param)
        encoded = self.encode_cursor(cursor)
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def _position(self, row: Any) -> tuple[Any, ...]:
        if isinstance(row, dict):
            return tuple(row[key.field.attname] for key in self.keys)
        return tuple(getattr(row, key.field.attname) for key in self.keys)

    # Our Cursor (a position tuple), not DRF's (an offset and a position string).
    def encode_cursor(self, cursor: Cursor) -> str:  # type: ignore[override]
        payload: dict[str, Any] = {"o": ",".join(self.ordering)}
        if cursor.reverse:
            payload["r"] = 1
        if cursor.position is not None:
            payload["p"] = [_to_json(value) for value in cursor.position]
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def decode_cursor(self, request: "Request") -> Cursor | None:  # type: ignore[override]
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            payload = json.loads(raw)
            if not isinstance(payload, dict) or payload.get("o") != ",".join(self.ordering):
                raise ValueError("not made for this ordering")
            reverse = payload.get("r", 0)
            if reverse not in (0, 1) or isinstance(reverse, bool):
                raise ValueError("direction")
            position = payload.get("p")
            if position is not None:
                if not isinstance(position, list) or len(position) != len(self.keys):
                    raise ValueError("position")
                position = tuple(
                    _clean(key, value) for key, value in zip(self.keys, position, strict=True)
                )
        except (ValueError, TypeError, OverflowError, RecursionError, DjangoValidationError):
            # binascii.Error and JSONDecodeError are ValueErrors; a 5,000-digit
            # number is one too (Python refuses to convert it).
            message = {self.cursor_query_param: [self.invalid_cursor_message]}
            raise ValidationError(message) from None
        return Cursor(reverse=bool(reverse), position=position)

    def get_page_size(self, request: "Request") -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        # ASCII digits only, and never int() on a huge string (Python refuses
        # over 4300 digits): anything past three digits is over the cap anyway.
        digits = raw.lstrip("0") if raw.isascii() and raw.isdigit() else ""
        if not digits:
            raise ValidationError({self.page_size_query_param: ["Must be a whole number from 1."]})
        if len(digits) > 3:
            return self.max_page_size
        return min(int(digits), self.max_page_size)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        for link in ("next", "previous"):
            response["properties"][link]["description"] = (
                f"The {link} page, or null if there is none. Follow it as given."
            )
            del response["properties"][link]["example"]
        return response

    def get_schema_operation_parameters(self, view: "APIView") -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = "Rows per page, default 20; above 100 means 100."
            elif parameter["name"] == self.cursor_query_param:
                # What encode_cursor makes: unpadded base64url.
                parameter["schema"]["pattern"] = CURSOR_PATTERN
        return parameters


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()  # full precision, unlike DjangoJSONEncoder
    return value


def _clean(key: SortKey, value: Any) -> Any:
    """A position's value as the field holds it, or a ValueError/ValidationError."""
    if isinstance(value, bool) or not isinstance(value, str | int | None):
        raise ValueError("position value")
    if value is None and not key.field.null:
        raise ValueError("NULL")
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL")  # PostgreSQL refuses NUL in any string
    if isinstance(key.field, models.DateTimeField) and value is not None:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None or (settings.USE_TZ and parsed.tzinfo is None):
            raise ValueError("timestamp")
        # A UTC offset can push year 1 out of range; find out here, not in the database.
        parsed.astimezone(datetime.UTC)
        value = parsed
    return key.field.clean(value, None)
