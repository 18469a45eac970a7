from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import authenticated_user
from calendars import selectors, services
from calendars.serializers import CalendarFeedSerializer
from core.api.schema import error_responses

NO_FEED = "You have no calendar feed."


class CalendarFeedView(APIView):
    """
    The caller's calendar feed: its secret address (``/calendar/<secret>.ics``,
    on the host the API was called on), a new one, or none.
    """

    def feed_url(self, request: Request, secret: str) -> dict[str, str]:
        return {"url": request.build_absolute_uri(reverse("calendar-feed", args=[secret]))}

    @extend_schema(
        request=None,
        responses={201: CalendarFeedSerializer, **error_responses(401, 429)},
        description="A new secret address; the caller's previous one, if any, stops working.",
    )
    def post(self, request: Request) -> Response:
        secret = services.feed_create(user=authenticated_user(request))
        return Response(self.feed_url(request, secret), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CalendarFeedSerializer, **error_responses(401, 404, 429)})
    def get(self, request: Request) -> Response:
        secret = selectors.feed_secret(user=authenticated_user(request))
        if secret is None:
            raise NotFound(NO_FEED)
        return Response(self.feed_url(request, secret))

    @extend_schema(
        responses={
            204: OpenApiResponse(description="No feed: its address no longer works."),
            **error_responses(401, 429),
        }
    )
    def delete(self, request: Request) -> Response:
        services.feed_delete(user=authenticated_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
