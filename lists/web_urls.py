from django.urls import path

from lists import views
from todos.views import TodoListView

app_name = "lists_web"

urlpatterns = [
    path("lists/", views.ListCreateView.as_view(), name="create"),
    path("lists/<int:list_pk>/", TodoListView.as_view(), name="detail"),
    path("lists/<int:list_pk>/rename/", views.ListRenameView.as_view(), name="rename"),
    path("lists/<int:list_pk>/delete/", views.ListDeleteView.as_view(), name="delete"),
    path("lists/<int:list_pk>/sharing/", views.SharingView.as_view(), name="sharing"),
    path("lists/<int:list_pk>/sharing/invite/", views.InviteView.as_view(), name="invite"),
    path(
        "lists/<int:list_pk>/members/<int:member_pk>/role/",
        views.MemberRoleView.as_view(),
        name="member-role",
    ),
    path(
        "lists/<int:list_pk>/members/<int:member_pk>/remove/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path(
        "lists/<int:list_pk>/invitations/<int:invitation_pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path("invitations/", views.InvitationsView.as_view(), name="invitations"),
    path(
        "invitations/<int:invitation_pk>/accept/",
        views.InvitationAnswerView.as_view(accept=True),
        name="invitation-accept",
    ),
    path(
        "invitations/<int:invitation_pk>/decline/",
        views.InvitationAnswerView.as_view(accept=False),
        name="invitation-decline",
    ),
]
