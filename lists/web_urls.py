from django.urls import path

from lists import views

app_name = "lists_web"

urlpatterns = [
    path("invitations/", views.InvitationsView.as_view(), name="invitations"),
]
