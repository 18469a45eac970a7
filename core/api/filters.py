from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter

from core.expressions import InfinityIfNull

# For annotations only: rest_framework.views imports the classes the settings
# name (throttles, pagination, filters), so importing it here would be circular.
if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


_ModelT = TypeVar("_ModelT", bound=models.Model)
_RowT = TypeVar("_RowT")


@dataclass(frozen=True)
class SortKey:
    """
    One column of a list's order: the model field, its direction, and the
    expression sorted on (a nullable date sorts through ``InfinityIfNull``, so
    rows without one come last in either direction on every database).
    """

    field: models.Field
    descending: bool

    @classmethod
    def parse(cls, model: type[models.Model], term: str) -> "SortKey":
        """``"title"``, ``"-due_date"``, ``"-pk"``: a field name, ``-`` for descending."""
        name = term.removeprefix("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        # Orderings name the model's own columns, never a relation's other side.
        return cls(cast(models.Field, field), term.startswith("-"))

    @property
    def name(self) -> str:
        return self.field.name

    def column(self) -> Any:
        """The rows' key."""
        return self._key(models.F(self.name))

    def value(self, value: Any) -> Any:
        """The key of a row whose field holds ``value`` (a cursor's position)."""
        return self._key(models.Value(value, output_field=self.field))

    def order_by(self, *, reverse: bool = False) -> OrderBy:
        return OrderBy(self.column(), descending=self.descending != reverse)

    def outer_order_by(self, *, reverse: bool = False) -> str:
        """
        This key in an ``ORDER BY`` over rows selected into ``"page"`` (a
        subquery that selects the model's columns), as ``order_by`` sorts.
        """
        column = f'"page".{connection.ops.quote_name(self.field.column)}'
        if self.field.null and isinstance(self.field, models.DateField):
            # The key's own sentinel (as column()), whichever way it is walked.
            sentinel = "'-infinity'" if self.descending else "'infinity'"
            column = f"COALESCE({column}, {sentinel}::{self.field.db_type(connection)})"
        return f"{column} {'DESC' if self.descending != reverse else 'ASC'}"

    def _key(self, source: Any) -> Any:
        # DateTimeField is a DateField too.
        if self.field.null and isinstance(self.field, models.DateField):
            return InfinityIfNull(source, descending=self.descending)
        return source


def total_ordering(model: type[models.Model], ordering: Sequence[str]) -> list[SortKey]:
    """
    ``ordering`` ending on the primary key, in the direction of the first term,
    so that no two rows tie: pages never repeat or skip a row.
    """
    keys = [SortKey.parse(model, term) for term in ordering]
    if not any(key.field.primary_key for key in keys):
        descending = bool(keys) and keys[0].descending
        keys.append(SortKey(model._meta.pk, descending))
    return keys


class StrictOrderingFilter(OrderingFilter):
    """
    ``?ordering=`` is one of the view's ``ordering_fields``, ascending or
    descending (``-``); anything else is a 400 rather than silently ignored.
    Empty means the view's default ``ordering``. The order always ends on the
    primary key (see ``total_ordering``), which cursor pagination relies on.
    """

    def choices(self, view: "APIView") -> list[str]:
        fields = getattr(view, "ordering_fields", None) or []
        return [value for field in fields for value in (field, f"-{field}")]

    def get_ordering(
        self, request: "Request", queryset: models.QuerySet[Any], view: "APIView"
    ) -> list[str]:
        requested = request.query_params.get(self.ordering_param, "")
        if not requested:
            return list(self.get_default_ordering(view) or ["-pk"])
        choices = self.choices(view)
        if requested not in choices:
            raise ValidationError({self.ordering_param: [f"Must be one of: {', '.join(choices)}."]})
        return [requested]

    def filter_queryset(
        self, request: "Request", queryset: models.QuerySet[_ModelT, _RowT], view: "APIView"
    ) -> models.QuerySet[_ModelT, _RowT]:
        keys = total_ordering(queryset.model, self.get_ordering(request, queryset, view))
        return queryset.order_by(*(key.order_by() for key in keys))

    def get_schema_operation_parameters(self, view: "APIView") -> list[dict[str, Any]]:
        default = ", ".join(self.get_default_ordering(view) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Sort order; `-` for descending. Default: `{default}`. "
                "Ties are broken by `id` in the same direction; a missing date sorts last "
                "either way.",
                "schema": {"type": "string", "enum": self.choices(view)},
            }
        ]


class FieldSearchFilter(SearchFilter):
    """A refused ``?search=`` (a NUL character) is a field error like any other."""

    def get_search_terms(self, request: "Request") -> list[str]:
        try:
            return super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc


class QueryFilterBackend(DjangoFilterBackend):
    """
    django-filter's backend, skipped when the query string names none of the
    view's filters: building and validating the FilterSet's form for nothing
    costs about as much as the list query. A filter with a required value,
    or whose parameters carry a suffix (range widgets: ``due_min``), counts
    as named.
    """

    def filter_queryset(
        self, request: HttpRequest, queryset: "QuerySet[_ModelT]", view: "APIView"
    ) -> "QuerySet[_ModelT]":
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = filterset_class.base_filters
        # request.GET: DRF's Request hands it on from Django's (its query_params).
        if any(name.startswith(tuple(names)) for name in request.GET) or any(
            filter_.extra.get("required") for filter_ in names.values()
        ):
            return super().filter_queryset(request, queryset, view)
        return queryset
