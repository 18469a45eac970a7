"""HTTP conditional requests (RFC 9110): strong ETags and If-Match / If-None-Match."""

import hashlib
import json
from collections.abc import Callable

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The resource has changed since you read it (If-Match does not match its ETag)."
    )
    default_code = "precondition_failed"


def etag_for(representation: dict) -> str:
    """A strong validator: equal exactly when the JSON representations are equal."""
    payload = json.dumps(representation, sort_keys=True, separators=(",", ":"), default=str)
    return f'"{hashlib.sha256(payload.encode()).hexdigest()[:40]}"'


def _listed_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def require_if_match(request: Request, current_etag: Callable[[], str]) -> None:
    """
    Refuse the write when ``If-Match`` is sent and names another version.

    ``current_etag`` is only called when the header is there: most writes
    send none, and need not serialize the resource for it.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = _listed_tags(header)
    # Strong comparison: a weak tag (W/"...") never matches.
    if "*" not in tags and current_etag() not in tags:
        raise PreconditionFailed


def if_none_match_hits(request: Request, current_etag: str) -> bool:
    """True when the client already holds this version (answer 304)."""
    header = request.headers.get("If-None-Match")
    if header is None:
        return False
    tags = [tag.removeprefix("W/") for tag in _listed_tags(header)]
    return "*" in tags or current_etag in tags
