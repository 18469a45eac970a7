from collections.abc import Mapping
from typing import IO, Any

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from core.api.exceptions import RequestTooLarge


def too_large() -> RequestTooLarge:
    return RequestTooLarge(
        f"An import is at most {settings.IMPORT_MAX_BYTES} bytes (IMPORT_MAX_BYTES)."
    )


class ImportParser(BaseParser):
    """
    JSON (UTF-8) of up to ``IMPORT_MAX_BYTES``, read from the request's stream.

    Not a ``JSONParser``: DRF hands that one Django's ``request.body``, capped
    at the API-wide ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MiB). orjson refuses
    NaN and Infinity, and nesting past 1024 levels, as a parse error.
    """

    media_type = "application/json"

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read(settings.IMPORT_MAX_BYTES + 1)
        if len(raw) > settings.IMPORT_MAX_BYTES:
            raise too_large()
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
