"""The export as an HTTP download, for the API and the profile page alike."""

from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts.models import User
from portability import selectors

#: The export's formats: media type and stream.
EXPORT_FORMATS = {
    "json": ("application/json", selectors.export_json),
    "csv": ("text/csv; charset=utf-8", selectors.export_csv),
}


def export_response(*, owner: User, format_name: str) -> StreamingHttpResponse:
    """``owner``'s export in ``format_name`` (a key of ``EXPORT_FORMATS``), streamed as a file."""
    media_type, export = EXPORT_FORMATS[format_name]
    response = StreamingHttpResponse(export(owner=owner), content_type=media_type)
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="todo-export-{day}.{format_name}"'
    # Personal data: kept by no cache on the way.
    response["Cache-Control"] = "no-store"
    return response
