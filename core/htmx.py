"""The request type of a page view, with what django-htmx's middleware adds."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """For annotations only: every request has ``htmx`` (``HtmxMiddleware``)."""

    htmx: HtmxDetails
