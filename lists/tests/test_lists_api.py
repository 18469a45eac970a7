import pytest

from accounts.tests.factories import UserFactory
from lists.models import INBOX_NAME, List, Membership, Role
from lists.services import MAX_OWNED_LISTS
from lists.tests.factories import ListFactory, share
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

LISTS = "/api/v1/lists/"


def test_every_account_has_one_inbox_from_the_start(auth_client, user):
    response = auth_client.get(LISTS)
    assert response.status_code == 200
    (inbox,) = response.json()["results"]
    assert inbox["name"] == INBOX_NAME
    assert inbox["is_inbox"] is True
    assert inbox["role"] == "owner"
    assert inbox["owner"] == {"id": user.id, "email": user.email, "name": user.name}
    assert set(inbox) == {
        "id", "name", "is_inbox", "role", "owner", "created_at", "updated_at"
    }  # fmt: skip
    assert {"next", "previous", "results"} == set(response.json())


def test_create_makes_the_caller_owner_and_stores_the_name_trimmed(auth_client, user):
    response = auth_client.post(LISTS, {"name": "  Groceries "})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["is_inbox"], body["role"]) == ("Groceries", False, "owner")
    assert body["owner"]["id"] == user.id
    created = List.objects.get(pk=body["id"])
    assert created.owner == user
    assert Membership.objects.get(list=created).role == Role.OWNER
    assert auth_client.get(f"{LISTS}{body['id']}").json() == body


@pytest.mark.parametrize(
    "name", ["", "   ", "x" * 101, None, 5, ["a"]], ids=["empty", "blank", "long", "null", "n", "l"]
)
def test_a_bad_name_is_a_400_on_name(auth_client, name):
    response = auth_client.post(LISTS, {"name": name})
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_name_of_100_characters_with_spaces_around_counts_as_sent(auth_client):
    assert auth_client.post(LISTS, {"name": "x" * 100}).status_code == 201
    assert auth_client.post(LISTS, {"name": " " + "y" * 99 + " "}).status_code == 400


def test_names_are_unique_per_owner_ignoring_case(auth_client, other_client):
    assert auth_client.post(LISTS, {"name": "Work"}).status_code == 201
    duplicate = auth_client.post(LISTS, {"name": " wORK "})
    assert duplicate.status_code == 400
    assert "name" in duplicate.json()
    assert auth_client.post(LISTS, {"name": "inbox"}).status_code == 400
    assert other_client.post(LISTS, {"name": "Work"}).status_code == 201


def test_renaming_to_a_taken_name_is_a_400(auth_client, user):
    ListFactory.create(owner=user, name="Home")
    work = ListFactory.create(owner=user, name="Work")
    response = auth_client.patch(f"{LISTS}{work.id}/", {"name": "HOME"})
    assert response.status_code == 400
    assert "name" in response.json()


def test_the_inbox_comes_first_then_names_ignoring_case_then_id(auth_client, user):
    for name in ["banana", "Apple", "cherry"]:
        ListFactory.create(owner=user, name=name)
    shared = ListFactory.create(name="Bread")
    share(shared, user, Role.VIEWER)
    names = [row["name"] for row in auth_client.get(LISTS).json()["results"]]
    assert names == [INBOX_NAME, "Apple", "banana", "Bread", "cherry"]


def test_pages_follow_the_order_with_page_size(auth_client, user):
    for number in range(5):
        ListFactory.create(owner=user, name=f"L{number}")
    seen, url, query = [], LISTS, {"page_size": 2}
    while url:
        body = auth_client.get(url, query).json()
        assert len(body["results"]) <= 2
        seen += [row["name"] for row in body["results"]]
        url, query = body["next"], None
    assert seen == [INBOX_NAME, "L0", "L1", "L2", "L3", "L4"]
    assert auth_client.get(LISTS, {"page_size": "0"}).status_code == 400


def test_the_inbox_can_be_renamed_but_not_deleted(auth_client, user):
    inbox = List.objects.get(owner=user, is_inbox=True)
    renamed = auth_client.patch(f"{LISTS}{inbox.id}/", {"name": "Everything"})
    assert renamed.status_code == 200
    assert renamed.json()["is_inbox"] is True
    refused = auth_client.delete(f"{LISTS}{inbox.id}/")
    assert refused.status_code == 400
    assert "inbox" in refused.json()["detail"].lower()
    assert List.objects.filter(pk=inbox.id).exists()


def test_is_inbox_cannot_be_set(auth_client, user):
    response = auth_client.post(LISTS, {"name": "Fake", "is_inbox": True})
    assert response.status_code == 201
    assert response.json()["is_inbox"] is False
    assert List.objects.filter(owner=user, is_inbox=True).count() == 1


def test_deleting_a_list_takes_its_todos_members_and_invitations(auth_client, user):
    groceries = ListFactory.create(owner=user)
    TodoFactory.create_batch(3, owner=user, list=groceries)
    share(groceries, UserFactory.create())
    groceries.invitations.create(
        email="x@example.com", role=Role.VIEWER, invited_by=user, expires_at="2100-01-01T00:00Z"
    )
    kept = TodoFactory.create(owner=user)
    assert auth_client.delete(f"{LISTS}{groceries.id}/").status_code == 204
    assert not List.objects.filter(pk=groceries.id).exists()
    assert list(Todo.objects.all()) == [kept]
    assert not Membership.objects.filter(list_id=groceries.id).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_the_owner_renames_or_deletes(auth_client, user, role):
    shared = ListFactory.create(name="Shared")
    share(shared, user, role)
    url = f"{LISTS}{shared.id}/"
    read = auth_client.get(url)
    assert read.status_code == 200
    assert read.json()["role"] == role
    assert auth_client.patch(url, {"name": "Mine now"}).status_code == 403
    assert auth_client.put(url, {"name": "Mine now"}).status_code == 403
    assert auth_client.delete(url).status_code == 403
    shared.refresh_from_db()
    assert shared.name == "Shared"


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_list_without_a_role_is_404_on_every_method_like_none(auth_client, method):
    other = ListFactory.create()
    bodies = []
    for url in (f"{LISTS}{other.id}/", f"{LISTS}{other.id + 1000}/"):
        response = getattr(auth_client, method)(url, {"name": "x"})
        assert response.status_code == 404, (url, response.content)
        bodies.append(response.content)
    assert bodies[0] == bodies[1]
    assert List.objects.filter(pk=other.id, name=other.name).exists()


def test_lists_are_listed_only_for_people_with_a_role(auth_client):
    ListFactory.create(name="Someone else's")
    names = [row["name"] for row in auth_client.get(LISTS).json()["results"]]
    assert names == [INBOX_NAME]


def test_an_account_owns_at_most_100_lists(auth_client, user):
    List.objects.bulk_create(
        [List(owner=user, name=f"L{n}") for n in range(MAX_OWNED_LISTS - 1)]
    )  # and the inbox
    response = auth_client.post(LISTS, {"name": "One too many"})
    assert response.status_code == 400
    assert "100" in response.json()["detail"]


def test_without_a_token_it_is_401():
    assert make_client().get(LISTS).status_code == 401
