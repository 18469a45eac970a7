from typing import Any

from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.http import authenticated_user
from core.api.schema import error_responses
from portability import services
from portability.http import EXPORT_FORMATS, export_response
from portability.parsers import ImportParser, too_large
from portability.serializers import ExportSerializer, ImportResultSerializer, ImportSerializer


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=sorted(EXPORT_FORMATS), required=False)


class ExportView(APIView):
    """Everything the caller owns, as one download, streamed."""

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        # ``?format=`` names the file's format, not a renderer (DRF's reading of
        # it would make ``csv`` a 404): errors are JSON whatever it says.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=sorted(EXPORT_FORMATS),
                description="`json` (the default): one document, which `auth/import/` "
                "reads back; `csv`: one row per todo, with a header row.",
            )
        ],
        responses={
            (200, "application/json"): ExportSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            **error_responses(400, 401, 429),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        query = ExportQuerySerializer(data={k: v for k, v in request.query_params.items() if v})
        query.is_valid(raise_exception=True)
        return export_response(
            owner=authenticated_user(request),
            format_name=query.validated_data.get("format", "json"),
        )


class ImportView(APIView):
    """Add the lists and todos of a JSON export to the caller's account."""

    parser_classes = [ImportParser]

    @extend_schema(
        request=ImportSerializer,
        responses={201: ImportResultSerializer, **error_responses(400, 401, 413, 415, 429)},
    )
    def post(self, request: Request) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.IMPORT_MAX_BYTES:
            raise too_large()  # before reading any of it
        serializer = ImportSerializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(flatten_errors(serializer.errors))
        added = services.import_document(
            owner=authenticated_user(request),
            lists=serializer.validated_data.get("lists", []),
            todos=serializer.validated_data["todos"],
        )
        return Response({"todos": added}, status=status.HTTP_201_CREATED)


def flatten_errors(errors: Any, path: str = "") -> dict[str, list[str]]:
    """
    DRF's nested errors as one level, each under the path of what it is about:
    ``{"todos": [{}, {"title": [...]}]}`` becomes ``{"todos[1].title": [...]}``.
    """
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            # A list's errors may come as a dict by index (DRF leaves out the valid items).
            # An object's own errors (``non_field_errors``) are about its path.
            if isinstance(key, int):
                where = f"[{key}]"
            elif path:
                where = "" if key == api_settings.NON_FIELD_ERRORS_KEY else f".{key}"
            else:
                where = str(key)
            flat.update(flatten_errors(value, f"{path}{where}"))
        return flat
    if isinstance(errors, list) and any(isinstance(item, (dict, list)) for item in errors):
        flat = {}
        for index, item in enumerate(errors):
            flat.update(flatten_errors(item, f"{path}[{index}]"))
        return flat
    return {path or "non_field_errors": [str(message) for message in errors]} if errors else {}
