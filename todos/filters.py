import django_filters

from todos.models import Todo


class TodoFilter(django_filters.FilterSet):
    # Strict choices: `?done=maybe` is a 400, not a silently ignored filter.
    done = django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Todo
        fields = ["done", "due_before", "due_after"]
