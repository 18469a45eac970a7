import datetime

import django_filters
from django.db.models import F, QuerySet
from django.http import HttpRequest

from accounts.models import User
from core.expressions import InfinityIfNull
from lists.models import List
from todos.models import Todo


class DueDateBound(django_filters.DateFilter):
    """
    ``due_date <= value`` (``lte``) or ``>= value`` (``gte``), said once more on
    each sort key of ``?ordering=due_date`` and ``-due_date``. Those are implied
    (NULL is excluded by the plain comparison), but they let the due-date
    indexes start reading at ``value`` instead of skipping every row before it.
    """

    def __init__(self, *, lookup_expr: str) -> None:
        super().__init__(field_name="due_date", lookup_expr=lookup_expr)

    def filter(self, qs: QuerySet[Todo], value: datetime.date | None) -> QuerySet[Todo]:
        qs = super().filter(qs, value)
        if value is None:
            return qs
        return qs.alias(
            due_key=InfinityIfNull(F("due_date")),
            due_key_descending=InfinityIfNull(F("due_date"), descending=True),
        ).filter(
            **{f"due_key__{self.lookup_expr}": value},
            **{f"due_key_descending__{self.lookup_expr}": value},
        )


def visible_lists(request: HttpRequest | None) -> QuerySet[List]:
    """The lists ``?list=`` may name: the reader's (another is refused as unknown)."""
    if request is None or not isinstance(request.user, User):
        return List.objects.none()
    return List.objects.filter(memberships__user=request.user)


class TodoFilter(django_filters.FilterSet):
    list = django_filters.ModelChoiceFilter(
        # django-filter calls a callable with the request; the stubs know only querysets.
        queryset=visible_lists,  # type: ignore[arg-type]
        help_text="Only the todos of this list (its id).",
    )
    # Strict choices: `?done=maybe` is a 400, not a silently ignored filter.
    done = django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
    )
    due_before = DueDateBound(lookup_expr="lte")
    due_after = DueDateBound(lookup_expr="gte")

    class Meta:
        model = Todo
        fields = ["list", "done", "due_before", "due_after"]
