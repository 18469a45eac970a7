from rest_framework import serializers

from core.api.fields import (
    NOT_BLANK_PATTERN,
    StrictBooleanField,
    StrictCharField,
    StrictDateField,
)
from todos.models import Todo


class TodoSerializer(serializers.ModelSerializer):
    # Not empty, at most the model's limit as sent; the rest of the title's
    # rules (not blank once trimmed, stored trimmed) are todos.services'.
    title = StrictCharField(
        max_length=Todo.TITLE_MAX_LENGTH, trim_whitespace=False, schema_pattern=NOT_BLANK_PATTERN
    )
    description = StrictCharField(allow_blank=True, required=False, trim_whitespace=False)
    done = StrictBooleanField(required=False)
    due_date = StrictDateField(allow_null=True, required=False)
    # An id, checked by the services against the writer's lists (an unknown
    # one and one they cannot see are the same 400).
    list = serializers.IntegerField(
        source="list_id",
        required=False,
        help_text="The todo's list. On create, the caller's inbox if left out.",
    )

    class Meta:
        model = Todo
        fields = [
            "id",
            "list",
            "title",
            "description",
            "done",
            "due_date",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]
