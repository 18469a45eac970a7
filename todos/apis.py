import re

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from core.api.conditional import etag_for, if_none_match_hits, require_if_match
from core.api.schema import error_responses
from todos import selectors, services
from todos.filters import TodoFilter
from todos.models import Todo
from todos.serializers import TodoSerializer

WRITE_ACTIONS = frozenset({"update", "partial_update", "destroy"})
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")

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
    response=[200, 201, 304],
)


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used with a different request body."
    default_code = "idempotency_key_reused"


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
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Retries with the same key and body create the todo once "
                "(keys last 24 hours, per user).",
                pattern=IDEMPOTENCY_KEY_PATTERN.pattern,
            ),
            ETAG,
        ],
        responses={201: TodoSerializer, **error_responses(400, 401, 413, 415, 422, 429)},
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
        responses={200: TodoSerializer, **error_responses(400, 401, 404, 412, 413, 415, 429)},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH, ETAG],
        responses={200: TodoSerializer, **error_responses(400, 401, 404, 412, 413, 415, 429)},
    ),
    destroy=extend_schema(
        parameters=[IF_MATCH],
        responses={
            204: OpenApiResponse(description="Deleted."),
            **error_responses(401, 404, 412, 429),
        },
    ),
)
class TodoViewSet(viewsets.ModelViewSet):
    """The caller's own todos. Anybody else's answer 404, as if they did not exist."""

    serializer_class = TodoSerializer
    filterset_class = TodoFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "due_date", "title"]
    ordering = ["-created_at"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        todos = selectors.todo_list(owner=self.request.user)
        if self.action in WRITE_ACTIONS:
            # Locked until the write commits, so If-Match cannot race it.
            todos = todos.select_for_update()
        return todos

    def get_object(self):
        todo = super().get_object()
        if self.action in WRITE_ACTIONS:
            require_if_match(self.request, lambda: etag_for(self.get_serializer(todo).data))
        return todo

    def retrieve(self, request, *args, **kwargs):
        data = self.get_serializer(self.get_object()).data
        etag = etag_for(data)
        if if_none_match_hits(request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = self._idempotency_key()
        replayed = False
        if key is None:
            todo = services.todo_create(owner=request.user, **serializer.validated_data)
            body = self.get_serializer(todo).data
        else:
            try:
                body, replayed = services.todo_create_idempotent(
                    owner=request.user,
                    key=key,
                    request_data=request.data,
                    fields=serializer.validated_data,
                    render=lambda todo: self.get_serializer(todo).data,
                )
            except services.IdempotencyKeyReused as exc:
                raise IdempotencyKeyReused from exc
        headers = {"ETag": etag_for(body)}
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)

    @transaction.atomic
    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def perform_update(self, serializer):
        serializer.instance = services.todo_update(
            todo=serializer.instance, fields=serializer.validated_data
        )

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def _idempotency_key(self) -> str | None:
        key = self.request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
            raise serializers.ValidationError(
                {"Idempotency-Key": ["Must be 1 to 255 visible ASCII characters."]}
            )
        return key
