from django.urls import path

from reminders import views

app_name = "reminders_web"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
