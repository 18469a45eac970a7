"""The profile page's downloads: the API's export, on the session sign-in."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views import View

from accounts.http import authenticated_user
from portability.http import EXPORT_FORMATS, export_response


class ExportDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, format_name: str) -> StreamingHttpResponse:
        if format_name not in EXPORT_FORMATS:
            raise Http404
        return export_response(owner=authenticated_user(request), format_name=format_name)
