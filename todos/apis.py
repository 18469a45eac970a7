from functools import cached_property

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer

from accounts.http import authenticated_user
from core.api.conditional import ConditionalMixin
from core.api.idempotency import (
    IDEMPOTENCY_KEY_PARAMETER,
    REPLAYED_PARAMETER,
    IdempotentCreateMixin,
)
from core.api.rows import PlainRowListMixin
from core.api.schema import error_responses
from core.api.validation import field_errors
from lists.selectors import ListAccess, list_access
from todos import selectors, services
from todos.models import Todo
from todos.serializers import TodoSerializer

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Only write if the todo still has this `ETag` (else 412).",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Strong validator of the todo's representation.",
    required=True,
    response=[200, 201, 304],
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "done",
                OpenApiTypes.STR,
                enum=["true", "false"],
                description="Only done or open todos.",
            )
        ],
        responses={200: TodoSerializer(many=True), **error_responses(400, 401, 404, 429)},
    ),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY_PARAMETER, REPLAYED_PARAMETER, ETAG],
        responses={201: TodoSerializer, **error_responses(400, 401, 403, 409, 413, 415, 422, 429)},
    ),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Answer 304 if the todo still has this `ETag`.",
            ),
            ETAG,
        ],
        responses={
            200: TodoSerializer,
            304: OpenApiResponse(description="Not modified."),
            **error_responses(401, 404, 429),
        },
    ),
    update=extend_schema(
        parameters=[IF_MATCH, ETAG],
        responses={
            200: TodoSerializer,
            **error_responses(400, 401, 403, 404, 412, 413, 415, 429),
        },
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH, ETAG],
        responses={
            200: TodoSerializer,
            **error_responses(400, 401, 403, 404, 412, 413, 415, 429),
        },
    ),
    destroy=extend_schema(
        parameters=[IF_MATCH],
        responses={
            204: OpenApiResponse(description="Deleted."),
            **error_responses(401, 403, 404, 412, 429),
        },
    ),
)
class TodoViewSet(
    PlainRowListMixin,
    IdempotentCreateMixin,
    ConditionalMixin,
    selectors.TodoListQuery,
    viewsets.ModelViewSet[Todo],
):
    """
    The todos on every list the caller has a role on. Any role reads; owners
    and editors write (a viewer's write is a 403, checked before If-Match).
    A todo on no list of theirs answers 404, as if it did not exist.
    """

    serializer_class = TodoSerializer
    lookup_value_converter = "int"
    idempotency_scope = "todos.create"

    @cached_property
    def lists(self) -> dict[int, ListAccess]:
        """The caller's lists and roles, read once per request."""
        return list_access(user=authenticated_user(self.request))

    def get_queryset(self) -> QuerySet[Todo]:
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        self.read_by_list(self.lists)
        return selectors.todo_list(user=authenticated_user(self.request), lists=self.lists)

    def perform_create(self, serializer: BaseSerializer[Todo]) -> None:
        with field_errors():
            serializer.instance = services.todo_create(
                lists=self.lists, **serializer.validated_data
            )

    def perform_update(self, serializer: BaseSerializer[Todo]) -> None:
        assert serializer.instance is not None  # an update's serializer holds its todo
        with field_errors():
            serializer.instance = services.todo_update(
                todo=serializer.instance,
                lists=self.lists,
                data=serializer.validated_data,
                expected_versions=self.if_match_versions(),
            )

    def perform_destroy(self, instance: Todo) -> None:
        services.todo_delete(
            todo=instance, lists=self.lists, expected_versions=self.if_match_versions()
        )
