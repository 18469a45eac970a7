"""
Lists read as plain rows: the serializer's representation without a model
instance per row or the serializer's per-row machinery.
"""

import datetime
import functools
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, mixins, serializers, viewsets
from rest_framework.fields import Field
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

Row = dict[str, Any]


@functools.cache
def row_fields(
    serializer_class: type[serializers.ModelSerializer],
) -> tuple[tuple[str, str, Field], ...]:
    """
    ``(key, column, field)`` for each field the serializer
    renders. Each must read one plain column of its model (no relation but a
    foreign key's own id, no method, no dotted source), so a ``values()`` row
    holds what the field would have read from an instance.
    """
    model: type[models.Model] = serializer_class.Meta.model
    fields = []
    for field in serializer_class()._readable_fields:
        column = field.source
        try:
            model_field = model._meta.get_field(column) if isinstance(column, str) else None
        except FieldDoesNotExist:
            model_field = None
        own_id = isinstance(model_field, models.ForeignKey) and column == model_field.attname
        if (
            model_field is None
            or (model_field.is_relation and not own_id)
            or not model_field.concrete
        ):
            raise ImproperlyConfigured(
                f"{serializer_class.__name__}.{field.field_name} does not read one plain "
                "column: it cannot be listed from plain rows."
            )
        fields.append((str(field.field_name), model_field.name, field))
    return tuple(fields)


def representer(field: Field, zone: datetime.tzinfo | None) -> Callable[[Any], Any]:
    """
    The field's ``to_representation``; for an ISO 8601 date-time, the same
    string made without DRF's per-value time-zone lookup (about 10 µs of CPU
    per value, two per todo), the zone being looked up once per page.
    """
    iso = (getattr(field, "format", api_settings.DATETIME_FORMAT) or "").lower() == ISO_8601
    zone = getattr(field, "timezone", zone)  # a field's own zone wins, as in DRF
    if not isinstance(field, serializers.DateTimeField) or not iso or zone is None:
        return field.to_representation

    def represent(value: datetime.datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def represent_rows(serializer_class: type[serializers.ModelSerializer], rows: list[Row]) -> list:
    """What ``serializer_class(instances, many=True).data`` holds, made from ``values()`` rows."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    fields = [
        (key, column, representer(field, zone))
        for key, column, field in row_fields(serializer_class)
    ]
    return [
        {
            key: None if row[column] is None else to_representation(row[column])
            for key, column, to_representation in fields
        }
        for row in rows
    ]


class PlainRowListMixin(mixins.ListModelMixin, viewsets.GenericViewSet):
    """
    ``list`` fetches ``values()`` of the columns the serializer renders and
    has each field represent its value, as the serializer would (same keys,
    same order, same values): about half the CPU of a page of 20.
    """

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer_class = cast("type[serializers.ModelSerializer]", self.get_serializer_class())
        columns = [column for _, column, _ in row_fields(serializer_class)]
        queryset = self.filter_queryset(self.get_queryset()).values(*columns)
        page = self.paginate_queryset(queryset)
        if page is not None:
            response: Response = self.get_paginated_response(represent_rows(serializer_class, page))
            return response
        return Response(represent_rows(serializer_class, list(queryset)))
