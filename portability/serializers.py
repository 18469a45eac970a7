from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import UserSerializer
from core.api.fields import StrictBooleanField, StrictCharField
from lists.models import NAME_MAX_LENGTH
from portability.selectors import EXPORT_VERSION
from todos.serializers import TodoSerializer


class ImportTodoSerializer(TodoSerializer):
    """
    A todo of an import: the API's fields and rules (``TodoSerializer``), its
    ``list`` a list's name (the caller's inbox when left out or null).
    """

    # A name here, where the API's todo has its list's id.
    list = StrictCharField(  # type: ignore[assignment]
        max_length=NAME_MAX_LENGTH, required=False, allow_null=True, help_text="A list's name."
    )


class ImportListSerializer(serializers.Serializer):
    """A list of an import: its name; members and invitations are not imported."""

    name = StrictCharField(max_length=NAME_MAX_LENGTH)
    is_inbox = StrictBooleanField(required=False, default=False)


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
    A document made by the JSON export: ``version``, ``lists`` (their names)
    and ``todos`` are read, anything else (``profile``, ``exported_at``, the
    lists' members and invitations) is ignored.
    """

    version = VersionField(help_text=f"The export format's version: {EXPORT_VERSION}.")
    lists = ImportListSerializer(many=True, required=False)
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
    # A name here, where the API's todo has its list's id.
    list = serializers.CharField(  # type: ignore[assignment]
        source="list.name", help_text="The name of the todo's list."
    )

    class Meta(TodoSerializer.Meta):
        fields = [name for name in TodoSerializer.Meta.fields if name != "id"]


class ExportMemberSerializer(serializers.Serializer):
    email = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()


class ExportInvitationSerializer(serializers.Serializer):
    email = serializers.CharField()
    role = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ExportListSerializer(serializers.Serializer):
    name = serializers.CharField()
    is_inbox = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    members = ExportMemberSerializer(many=True, help_text="Everybody else with a role on it.")
    invitations = ExportInvitationSerializer(many=True, help_text="Pending ones.")


class ExportSerializer(serializers.Serializer):
    """The JSON export's document (it is streamed, never made by this serializer)."""

    version = serializers.IntegerField(help_text=f"The format's version: {EXPORT_VERSION}.")
    exported_at = serializers.DateTimeField()
    profile = UserSerializer()
    lists = ExportListSerializer(many=True, help_text="The lists the person owns.")
    todos = ExportTodoSerializer(many=True, help_text="Every todo on those lists.")
