import pytest

from accounts.tests.factories import UserFactory
from lists.models import Membership, Role
from lists.services import MAX_MEMBERS
from lists.tests.factories import ListFactory, share

pytestmark = pytest.mark.django_db


def members_url(list_, member=None) -> str:
    base = f"/api/v1/lists/{list_.id}/members/"
    return f"{base}{member.id}/" if member is not None else base


def test_members_list_the_owner_first_with_every_role(auth_client, user):
    groceries = ListFactory.create(owner=user)
    editor = share(groceries, UserFactory.create(), Role.EDITOR)
    viewer = share(groceries, UserFactory.create(), Role.VIEWER)
    response = auth_client.get(members_url(groceries))
    assert response.status_code == 200
    body = response.json()
    assert [(row["user"]["id"], row["role"]) for row in body] == [
        (user.id, "owner"),
        (editor.user_id, "editor"),
        (viewer.user_id, "viewer"),
    ]
    assert set(body[0]) == {"id", "user", "role", "created_at"}
    assert set(body[0]["user"]) == {"id", "email", "name"}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_any_member_reads_the_members(auth_client, user, role):
    shared = ListFactory.create()
    share(shared, user, role)
    assert auth_client.get(members_url(shared)).status_code == 200


def test_the_owner_changes_a_role(auth_client, user):
    groceries = ListFactory.create(owner=user)
    member = share(groceries, UserFactory.create(), Role.VIEWER)
    response = auth_client.patch(members_url(groceries, member), {"role": "editor"})
    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    member.refresh_from_db()
    assert member.role == Role.EDITOR


@pytest.mark.parametrize("role", ["owner", "admin", "", None])
def test_a_role_is_editor_or_viewer(auth_client, user, role):
    groceries = ListFactory.create(owner=user)
    member = share(groceries, UserFactory.create(), Role.VIEWER)
    assert auth_client.patch(members_url(groceries, member), {"role": role}).status_code == 400


def test_the_owners_own_entry_cannot_change(auth_client, user):
    groceries = ListFactory.create(owner=user)
    owner = Membership.objects.get(list=groceries, user=user)
    response = auth_client.patch(members_url(groceries, owner), {"role": "viewer"})
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_the_owner_changes_roles_or_removes_others(auth_client, user, role):
    shared = ListFactory.create()
    share(shared, user, role)
    other = share(shared, UserFactory.create(), Role.VIEWER)
    owner = Membership.objects.get(list=shared, role=Role.OWNER)
    assert auth_client.patch(members_url(shared, other), {"role": "editor"}).status_code == 403
    assert auth_client.delete(members_url(shared, other)).status_code == 403
    assert auth_client.delete(members_url(shared, owner)).status_code == 403
    assert Membership.objects.filter(list=shared).count() == 3


def test_the_owner_removes_a_member(auth_client, user):
    groceries = ListFactory.create(owner=user)
    member = share(groceries, UserFactory.create())
    assert auth_client.delete(members_url(groceries, member)).status_code == 204
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_a_member_leaves(auth_client, user):
    shared = ListFactory.create()
    mine = share(shared, user, Role.VIEWER)
    assert auth_client.delete(members_url(shared, mine)).status_code == 204
    assert auth_client.get(members_url(shared)).status_code == 404


def test_the_owner_cannot_leave(auth_client, user):
    groceries = ListFactory.create(owner=user)
    owner = Membership.objects.get(list=groceries, user=user)
    response = auth_client.delete(members_url(groceries, owner))
    assert response.status_code == 400
    assert "delete it" in response.json()["detail"]


def test_a_member_of_another_list_is_404(auth_client, user):
    groceries = ListFactory.create(owner=user)
    elsewhere = share(ListFactory.create(owner=user), UserFactory.create())
    assert auth_client.delete(members_url(groceries, elsewhere)).status_code == 404
    response = auth_client.patch(members_url(groceries, elsewhere), {"role": "editor"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("patch", "MEMBER/"), ("delete", "MEMBER/")],
)
def test_a_list_without_a_role_is_404_for_its_members(auth_client, method, path):
    other = ListFactory.create()
    member = Membership.objects.get(list=other)
    url = f"/api/v1/lists/{other.id}/members/{path.replace('MEMBER', str(member.id))}"
    assert getattr(auth_client, method)(url, {"role": "viewer"}).status_code == 404
    assert Membership.objects.filter(pk=member.pk, role=Role.OWNER).exists()


def test_members_are_at_most_50(user, auth_client):
    from lists.tests.test_invitations_api import invite

    groceries = ListFactory.create(owner=user)
    Membership.objects.bulk_create(
        Membership(list=groceries, user=UserFactory.create(), role=Role.VIEWER)
        for _ in range(MAX_MEMBERS - 1)
    )
    response = invite(auth_client, groceries, "one-more@example.com")
    assert response.status_code == 400
    assert "50" in response.json()["detail"]
