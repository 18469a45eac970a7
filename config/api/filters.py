from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """
    Ordering that always ends on the primary key, so that pages never repeat
    or skip rows that share a sort value.
    """

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") in {"id", "pk"} for field in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-id" if descending else "id")
        return ordering
