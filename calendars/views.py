"""
The calendar feed a calendar client polls (no session, no token: the secret
address is the key), and the profile page's buttons that turn it on, reset
it and turn it off.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views import View

from accounts.http import authenticated_user
from calendars import keys, selectors, services
from calendars.documents import feed_document
from calendars.throttling import CalendarFeedThrottle


class CalendarFeedView(View):
    """
    ``GET /calendar/<secret>.ics``: the person's open todos with a due date,
    from a while ago on and at most so many (``selectors.feed_todos``).

    Strong ``ETag`` (the document's hash) and ``Last-Modified`` (when it last
    changed); ``If-None-Match`` or ``If-Modified-Since`` answer 304. A wrong,
    reset or turned-off secret is the site's 404, the same for each. Each
    feed has its own throttle. The access log masks the secret.
    """

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, secret: str) -> HttpResponseBase:
        throttle = CalendarFeedThrottle(secret_hash=keys.secret_hash(secret))
        # It counts by the given key; neither the request nor a view is read.
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            wait = throttle.wait()
            response = render(request, "429.html", {"retry_after": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        feed = selectors.feed_for_secret(secret=secret)
        if feed is None:
            raise Http404
        now = timezone.now()
        body = feed_document(
            user=feed.user,
            todos=selectors.feed_todos(user=feed.user, now=now),
            origin=f"{request.scheme}://{request.get_host()}",
            host=request.get_host(),
        )
        etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
        feed = services.feed_served(feed=feed, etag=etag, now=now)
        assert feed.changed_at is not None  # set by feed_served
        last_modified = feed.changed_at.timestamp()
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Content-Disposition"] = 'inline; filename="todos.ics"'
        # Stored by nobody on the way, revalidated by the client each time.
        patch_cache_control(response, private=True, no_cache=True)
        return (
            get_conditional_response(
                request, etag=etag, last_modified=int(last_modified), response=response
            )
            or response
        )


class FeedTurnOnView(LoginRequiredMixin, View):
    """The profile's Turn on and Reset: a new address (the old one stops working)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user = authenticated_user(request)
        had_one = selectors.feed_secret(user=user) is not None
        services.feed_create(user=user)
        messages.success(
            request,
            "Your calendar feed has a new address; the old one no longer works."
            if had_one
            else "Your calendar feed is on.",
        )
        return redirect("accounts_web:profile")


class FeedTurnOffView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        services.feed_delete(user=authenticated_user(request))
        messages.success(request, "Your calendar feed is off; its address no longer works.")
        return redirect("accounts_web:profile")
