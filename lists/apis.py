"""
Lists, their members and invitations. A list the caller has no role on
answers 404 on every path under it, exactly as one that does not exist; a
role too weak for the action answers 403 (``lists.selectors.require_role``).
"""

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import BaseThrottle

from accounts.http import authenticated_user
from core.api.pagination import CursorPagination
from core.api.schema import error_responses
from core.api.throttling import UserRateThrottle
from lists import selectors, services
from lists.models import Invitation, List, Membership
from lists.serializers import (
    InvitationSerializer,
    ListSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    ReceivedInvitationSerializer,
)

LIST_ID = OpenApiParameter("list_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
DELETED = OpenApiResponse(description="Done.")


class ListPagination(CursorPagination):
    """The inbox first, then by name ignoring case, then id (``List.sort_key``)."""

    ordering = ("sort_key",)


class InviteRateThrottle(UserRateThrottle):
    """Invitations spend their own per-user budget (``THROTTLE_RATE_INVITE``)."""

    scope = "invite"


class ListViewSet(viewsets.ModelViewSet[List]):
    """The lists the caller has a role on, with that role."""

    serializer_class = ListSerializer
    pagination_class = ListPagination
    filter_backends: list = []
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[List]:
        if getattr(self, "swagger_fake_view", False):
            return List.objects.none()
        return selectors.list_visible(user=authenticated_user(self.request))

    @extend_schema(responses={200: ListSerializer(many=True), **error_responses(400, 401, 429)})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={201: ListSerializer, **error_responses(400, 401, 413, 415, 429)})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    @extend_schema(responses={200: ListSerializer, **error_responses(401, 404, 429)})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        responses={200: ListSerializer, **error_responses(400, 401, 403, 404, 413, 415, 429)}
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().update(request, *args, **kwargs)

    @extend_schema(
        responses={200: ListSerializer, **error_responses(400, 401, 403, 404, 413, 415, 429)}
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(responses={204: DELETED, **error_responses(400, 401, 403, 404, 429)})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[List]) -> None:
        serializer.instance = services.list_create(
            owner=authenticated_user(self.request), name=serializer.validated_data["name"]
        )

    def perform_update(self, serializer: BaseSerializer[List]) -> None:
        list_ = serializer.instance
        assert list_ is not None  # an update's serializer holds its list
        serializer.instance = services.list_rename(
            list_=list_, role=list_.role, name=serializer.validated_data.get("name", list_.name)
        )

    def perform_destroy(self, instance: List) -> None:
        services.list_delete(list_=instance, role=instance.role)


class ListScopedViewSet(viewsets.GenericViewSet):
    """Paths under ``lists/{list_pk}/``: the list first (404 without a role on it)."""

    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    @cached_property
    def the_list(self) -> List:
        return selectors.list_get(
            user=authenticated_user(self.request), list_id=int(self.kwargs["list_pk"])
        )


@extend_schema(parameters=[LIST_ID])
class MemberViewSet(ListScopedViewSet):
    """A list's members, its owner included (role ``owner``)."""

    serializer_class = MemberSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.member_list(list_=self.the_list)

    @extend_schema(responses={200: MemberSerializer(many=True), **error_responses(401, 404, 429)})
    def list(self, request: Request, list_pk: int) -> Response:
        return Response(MemberSerializer(self.get_queryset(), many=True).data)

    @extend_schema(
        request=MemberRoleSerializer,
        responses={
            200: MemberSerializer,
            **error_responses(400, 401, 403, 404, 413, 415, 429),
        },
    )
    def partial_update(self, request: Request, list_pk: int, pk: int) -> Response:
        member = self.get_object()
        body = MemberRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.member_set_role(
            list_=self.the_list,
            role=self.the_list.role,
            member=member,
            new_role=body.validated_data["role"],
        )
        return Response(MemberSerializer(member).data)

    @extend_schema(responses={204: DELETED, **error_responses(400, 401, 403, 404, 429)})
    def destroy(self, request: Request, list_pk: int, pk: int) -> Response:
        services.member_remove(
            list_=self.the_list,
            actor=authenticated_user(request),
            role=self.the_list.role,
            member=self.get_object(),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[LIST_ID])
class InvitationViewSet(ListScopedViewSet):
    """A list's pending invitations, for its owner."""

    serializer_class = InvitationSerializer

    def get_throttles(self) -> list[BaseThrottle]:
        throttles: list[BaseThrottle] = super().get_throttles()
        if self.action == "create":
            throttles.append(InviteRateThrottle())
        return throttles

    @extend_schema(
        responses={200: InvitationSerializer(many=True), **error_responses(401, 403, 404, 429)}
    )
    def list(self, request: Request, list_pk: int) -> Response:
        invitations = selectors.invitation_list(list_=self.the_list)
        return Response(InvitationSerializer(invitations, many=True).data)

    @extend_schema(
        responses={
            202: OpenApiResponse(
                InvitationSerializer,
                description="The invitation is made and its mail is on its way, whether or "
                "not the address has an account.",
            ),
            **error_responses(400, 401, 403, 404, 413, 415, 429),
        },
    )
    def create(self, request: Request, list_pk: int) -> Response:
        body = InvitationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            list_=self.the_list,
            role=self.the_list.role,
            invited_by=authenticated_user(request),
            email=body.validated_data["email"],
            invited_role=body.validated_data["role"],
            accept_url=request.build_absolute_uri(reverse("lists_web:invitations")),
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={204: DELETED, **error_responses(401, 403, 404, 429)})
    def destroy(self, request: Request, list_pk: int, pk: int) -> Response:
        services.invitation_revoke(list_=self.the_list, role=self.the_list.role, invitation_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReceivedInvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """
    Invitations addressed to the caller's email, pending and unexpired. An
    account whose address is not verified may not see or answer them (403).
    """

    serializer_class = ReceivedInvitationSerializer
    pagination_class = None
    filter_backends: list = []
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Invitation]:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.invitation_pending_for(user=authenticated_user(self.request))

    @extend_schema(
        responses={
            200: ReceivedInvitationSerializer(many=True),
            **error_responses(401, 403, 429),
        }
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None, responses={200: ListSerializer, **error_responses(401, 403, 404, 429)}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        list_ = services.invitation_accept(user=authenticated_user(request), invitation_id=pk)
        return Response(ListSerializer(list_).data)

    @extend_schema(request=None, responses={204: DELETED, **error_responses(401, 403, 404, 429)})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        services.invitation_decline(user=authenticated_user(request), invitation_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
