"""
HTTP conditional requests (RFC 9110): strong ETags, If-None-Match on reads and
If-Match on writes, as a viewset mixin.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.digest import json_sha256

WRITE_ACTIONS = frozenset({"update", "partial_update", "destroy"})
REPRESENTATION_ACTIONS = frozenset({"create", "retrieve", "update", "partial_update"})


def etag_for(representation: Any) -> str:
    """A strong validator: equal exactly when the JSON representations are equal."""
    return f'"{json_sha256(representation)[:40]}"'


def _listed_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def if_none_match_hits(request: Request, current_etag: str) -> bool:
    """True when the client already holds this version (answer 304)."""
    header = request.headers.get("If-None-Match")
    if header is None:
        return False
    tags = [tag.removeprefix("W/") for tag in _listed_tags(header)]
    return "*" in tags or current_etag in tags


class ConditionalMixin(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """
    For a model viewset: every single representation carries its ``ETag``;
    a read with a matching ``If-None-Match`` is a 304; an update or delete
    with a stale ``If-Match`` is a 412, raised by the service the viewset
    writes through, which is handed ``self.if_match_versions()``.

    A write locks its row (``select_for_update``) from the ``If-Match`` check
    to the commit, so two writers holding the same version cannot both win.
    """

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Here, not in get_queryset, which viewsets override without calling super().
        queryset = super().filter_queryset(queryset)
        if self.action in WRITE_ACTIONS:
            queryset = queryset.select_for_update()
        return queryset

    def if_match_versions(self) -> frozenset[str] | None:
        """
        The versions ``If-Match`` lets the write happen at; ``None``: any (no
        header, or ``*``). A weak tag (W/"...") is kept as sent, so it never
        matches: the comparison is strong.
        """
        header = self.request.headers.get("If-Match")
        if header is None:
            return None
        tags = frozenset(_listed_tags(header))
        return None if "*" in tags else tags

    # A write that did not hand the service if_match_versions() would ignore If-Match.
    def perform_update(self, serializer: BaseSerializer) -> None:
        raise NotImplementedError("update through a service given self.if_match_versions()")

    def perform_destroy(self, instance: Any) -> None:
        raise NotImplementedError("delete through a service given self.if_match_versions()")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(self.get_object()).data
        etag = etag_for(data)
        if if_none_match_hits(request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        if (
            self.action in REPRESENTATION_ACTIONS
            and status.is_success(response.status_code)
            and isinstance(getattr(response, "data", None), dict)
            and "ETag" not in response
        ):
            response["ETag"] = etag_for(response.data)
        return super().finalize_response(request, response, *args, **kwargs)
