from django.urls import path

from calendars import views

app_name = "calendars_web"

urlpatterns = [
    path("on/", views.FeedTurnOnView.as_view(), name="turn-on"),
    path("off/", views.FeedTurnOffView.as_view(), name="turn-off"),
]
