from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import UserSerializer
from portability.selectors import EXPORT_VERSION
from todos.serializers import TodoSerializer


class ImportTodoSerializer(TodoSerializer):
    """A todo of an import: the API's fields and rules (``TodoSerializer``)."""


@extend_schema_field({"type": "integer", "enum": [EXPORT_VERSION]})
class VersionField(serializers.IntegerField):
    default_error_messages = {
        "invalid": f"Must be {EXPORT_VERSION}, the version this service exports.",
    }

    def to_internal_value(self, data: Any) -> int:
        if data != EXPORT_VERSION or isinstance(data, bool):
            self.fail("invalid")
        return EXPORT_VERSION


class ImportSerializer(serializers.Serializer):
    """
    A document made by the JSON export: ``version`` and ``todos`` are read,
    anything else (``profile``, ``exported_at``) is ignored.
    """

    version = VersionField(help_text=f"The export format's version: {EXPORT_VERSION}.")
    todos = ImportTodoSerializer(many=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made here: the limit is a setting, read when the serializer is.
        limit = settings.IMPORT_MAX_TODOS
        self.fields["todos"] = serializers.ListSerializer(
            child=ImportTodoSerializer(),
            max_length=limit,
            error_messages={"max_length": f"At most {limit} todos can be imported at once."},
        )


class ImportResultSerializer(serializers.Serializer):
    todos = serializers.IntegerField(help_text="How many todos were added.")


class ExportTodoSerializer(TodoSerializer):
    class Meta(TodoSerializer.Meta):
        fields = [name for name in TodoSerializer.Meta.fields if name != "id"]


class ExportSerializer(serializers.Serializer):
    """The JSON export's document (it is streamed, never made by this serializer)."""

    version = serializers.IntegerField(help_text=f"The format's version: {EXPORT_VERSION}.")
    exported_at = serializers.DateTimeField()
    profile = UserSerializer()
    todos = ExportTodoSerializer(many=True)
