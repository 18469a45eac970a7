from rest_framework import serializers

from core.api.fields import StrictBooleanField, StrictCharField, StrictDateField
from todos.models import Todo

TITLE_MAX_LENGTH = 200


class TodoSerializer(serializers.ModelSerializer):
    # At most 200 characters as sent, not blank once trimmed; stored trimmed.
    title = StrictCharField(max_length=TITLE_MAX_LENGTH)
    description = StrictCharField(allow_blank=True, required=False, trim_whitespace=False)
    done = StrictBooleanField(required=False)
    due_date = StrictDateField(allow_null=True, required=False)

    class Meta:
        model = Todo
        fields = [
            "id",
            "title",
            "description",
            "done",
            "due_date",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]
