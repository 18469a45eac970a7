from django.urls import path
from rest_framework.routers import SimpleRouter

from lists.apis import InvitationViewSet, ListViewSet, MemberViewSet, ReceivedInvitationViewSet

app_name = "lists"

router = SimpleRouter(use_regex_path=False)
router.register("lists", ListViewSet, basename="list")
router.register("invitations", ReceivedInvitationViewSet, basename="invitation")

urlpatterns = [
    *router.urls,
    path(
        "lists/<int:list_pk>/members/",
        MemberViewSet.as_view({"get": "list"}),
        name="list-members",
    ),
    path(
        "lists/<int:list_pk>/members/<int:pk>/",
        MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="list-member",
    ),
    path(
        "lists/<int:list_pk>/invitations/",
        InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="list-invitations",
    ),
    path(
        "lists/<int:list_pk>/invitations/<int:pk>/",
        InvitationViewSet.as_view({"delete": "destroy"}),
        name="list-invitation",
    ),
]
