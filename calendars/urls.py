from django.urls import path

from calendars import apis

app_name = "calendars"

urlpatterns = [
    path("calendar-feed/", apis.CalendarFeedView.as_view(), name="feed"),
]
