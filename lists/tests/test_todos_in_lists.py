"""Todos on lists: where they are made, who reads them, who writes them."""

import pytest

from accounts.tests.factories import UserFactory
from lists.models import Role
from lists.tests.factories import ListFactory, share
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

TODOS = "/api/v1/todos/"


@pytest.fixture
def shared(user):
    """Somebody else's list, shared with ``user`` (as the test says)."""
    return ListFactory.create(name="Flat")


def test_a_todo_without_a_list_goes_to_the_inbox(auth_client, user):
    response = auth_client.post(TODOS, {"title": "Call mum"})
    assert response.status_code == 201
    inbox = user.owned_lists.get(is_inbox=True)
    assert response.json()["list"] == inbox.id
    assert Todo.objects.get().list == inbox


def test_a_todo_goes_to_a_list_the_caller_owns_or_edits(auth_client, user, shared):
    mine = ListFactory.create(owner=user)
    share(shared, user, Role.EDITOR)
    for list_ in (mine, shared):
        response = auth_client.post(TODOS, {"title": "Milk", "list": list_.id})
        assert response.status_code == 201, response.content
        todo = Todo.objects.get(pk=response.json()["id"])
        assert (todo.list, todo.owner) == (list_, list_.owner)


def test_a_viewer_cannot_add_a_todo(auth_client, user, shared):
    share(shared, user, Role.VIEWER)
    response = auth_client.post(TODOS, {"title": "Milk", "list": shared.id})
    assert response.status_code == 403
    assert not Todo.objects.exists()


def test_a_list_the_caller_cannot_see_is_the_same_400_as_none(auth_client, shared):
    unseen = auth_client.post(TODOS, {"title": "Milk", "list": shared.id})
    missing = auth_client.post(TODOS, {"title": "Milk", "list": shared.id + 1000})
    assert unseen.status_code == missing.status_code == 400
    assert set(unseen.json()) == {"list"}
    message = unseen.json()["list"][0].replace(str(shared.id), "ID")
    assert message == missing.json()["list"][0].replace(str(shared.id + 1000), "ID")
    assert not Todo.objects.exists()


@pytest.mark.parametrize("value", ["abc", None, True, 1.5, []])
def test_a_list_is_an_integer(auth_client, value):
    assert auth_client.post(TODOS, {"title": "Milk", "list": value}).status_code == 400


def test_every_list_with_a_role_is_read_and_nothing_else(auth_client, user, shared):
    mine = TodoFactory.create(owner=user, title="mine")
    share(shared, user, Role.VIEWER)
    theirs = TodoFactory.create(owner=shared.owner, list=shared, title="shared")
    TodoFactory.create(title="stranger's")
    TodoFactory.create(owner=shared.owner, title="owner's inbox")
    titles = {row["title"] for row in auth_client.get(TODOS).json()["results"]}
    assert titles == {"mine", "shared"}
    assert auth_client.get(f"{TODOS}{theirs.id}/").json()["list"] == shared.id
    narrowed = auth_client.get(TODOS, {"list": shared.id}).json()["results"]
    assert [row["id"] for row in narrowed] == [theirs.id]
    inbox = auth_client.get(TODOS, {"list": mine.list_id}).json()["results"]
    assert [row["id"] for row in inbox] == [mine.id]


def test_the_list_filter_combines_with_the_others(auth_client, user):
    groceries = ListFactory.create(owner=user)
    for title, done in [("apples", True), ("bread", False), ("apricots", False)]:
        TodoFactory.create(owner=user, list=groceries, title=title, done=done, description="")
    TodoFactory.create(owner=user, title="apples elsewhere", description="")
    query = {"list": groceries.id, "search": "ap", "done": "false", "ordering": "title"}
    rows = auth_client.get(TODOS, query).json()["results"]
    assert [row["title"] for row in rows] == ["apricots"]
    page = auth_client.get(TODOS, {"list": groceries.id, "page_size": 1, "ordering": "title"})
    assert [row["title"] for row in page.json()["results"]] == ["apples"]
    following = auth_client.get(page.json()["next"]).json()["results"]
    assert [row["title"] for row in following] == ["apricots"]


def test_filtering_on_a_list_the_caller_cannot_see_is_a_400_as_for_none(auth_client, shared):
    TodoFactory.create(owner=shared.owner, list=shared)
    unseen = auth_client.get(TODOS, {"list": shared.id})
    missing = auth_client.get(TODOS, {"list": shared.id + 1000})
    assert unseen.status_code == missing.status_code == 400
    assert unseen.json() == missing.json()
    assert auth_client.get(TODOS, {"list": "x"}).status_code == 400


def test_shared_todos_appear_once_an_invitation_is_accepted(auth_client, user, shared):
    TodoFactory.create(owner=shared.owner, list=shared, title="Pay rent")
    assert auth_client.get(TODOS).json()["results"] == []
    user.email_verified = True
    user.save()
    invitation = shared.invitations.create(
        email=user.email, role=Role.EDITOR, invited_by=shared.owner, expires_at="2100-01-01T00:00Z"
    )
    assert auth_client.post(f"/api/v1/invitations/{invitation.id}/accept/").status_code == 200
    assert [row["title"] for row in auth_client.get(TODOS).json()["results"]] == ["Pay rent"]


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR])
def test_owners_and_editors_write(user, role):
    list_ = ListFactory.create(owner=user) if role == Role.OWNER else ListFactory.create()
    if role != Role.OWNER:
        share(list_, user, role)
    client = make_client(user)
    todo = TodoFactory.create(owner=list_.owner, list=list_)
    etag = client.get(f"{TODOS}{todo.id}/")["ETag"]
    stale = client.patch(f"{TODOS}{todo.id}/", {"done": True}, HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    updated = client.patch(f"{TODOS}{todo.id}/", {"done": True}, HTTP_IF_MATCH=etag)
    assert updated.status_code == 200
    assert client.put(f"{TODOS}{todo.id}/", {"title": "Renamed"}).status_code == 200
    created = client.post(TODOS, {"title": "n", "list": list_.id}, HTTP_IDEMPOTENCY_KEY="k1")
    replayed = client.post(TODOS, {"title": "n", "list": list_.id}, HTTP_IDEMPOTENCY_KEY="k1")
    assert created.status_code == replayed.status_code == 201
    assert replayed["Idempotent-Replayed"] == "true"
    assert created.json() == replayed.json()
    assert client.delete(f"{TODOS}{todo.id}/").status_code == 204
    assert list(Todo.objects.filter(list=list_).values_list("title", flat=True)) == ["n"]


def test_a_viewer_reads_but_cannot_write(auth_client, user, shared):
    share(shared, user, Role.VIEWER)
    todo = TodoFactory.create(owner=shared.owner, list=shared, title="Keep")
    url = f"{TODOS}{todo.id}/"
    etag = auth_client.get(url)["ETag"]
    assert auth_client.patch(url, {"done": True}).status_code == 403
    # The role is checked before the version: a viewer learns nothing from If-Match.
    assert auth_client.patch(url, {"done": True}, HTTP_IF_MATCH='"stale"').status_code == 403
    assert auth_client.put(url, {"title": "Changed"}, HTTP_IF_MATCH=etag).status_code == 403
    assert auth_client.delete(url).status_code == 403
    todo.refresh_from_db()
    assert (todo.title, todo.done) == ("Keep", False)


def test_a_todo_on_no_list_of_the_caller_is_404_on_every_method(auth_client, shared):
    todo = TodoFactory.create(owner=shared.owner, list=shared)
    url = f"{TODOS}{todo.id}/"
    assert auth_client.get(url).status_code == 404
    assert auth_client.patch(url, {"done": True}).status_code == 404
    assert auth_client.put(url, {"title": "x"}).status_code == 404
    assert auth_client.delete(url).status_code == 404
    assert Todo.objects.filter(pk=todo.pk, done=False).exists()


def test_moving_needs_write_on_both_lists(auth_client, user, shared):
    mine = ListFactory.create(owner=user)
    todo = TodoFactory.create(owner=user, list=mine)
    url = f"{TODOS}{todo.id}/"
    share(shared, user, Role.VIEWER)
    assert auth_client.patch(url, {"list": shared.id}).status_code == 403
    other = ListFactory.create()
    assert auth_client.patch(url, {"list": other.id}).status_code == 400
    todo.refresh_from_db()
    assert todo.list == mine

    share(other, user, Role.EDITOR)
    moved = auth_client.patch(url, {"list": other.id})
    assert moved.status_code == 200
    todo.refresh_from_db()
    assert (todo.list, todo.owner) == (other, other.owner)

    theirs = TodoFactory.create(owner=shared.owner, list=shared)
    response = auth_client.patch(f"{TODOS}{theirs.id}/", {"list": mine.id})
    assert response.status_code == 403


def test_idempotency_keys_stay_with_the_person_who_sent_them(user, shared):
    editor = UserFactory.create()
    share(shared, user, Role.EDITOR)
    share(shared, editor, Role.EDITOR)
    body = {"title": "Once", "list": shared.id}
    first = make_client(user).post(TODOS, body, HTTP_IDEMPOTENCY_KEY="same")
    second = make_client(editor).post(TODOS, body, HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert Todo.objects.filter(list=shared).count() == 2


def test_a_member_who_leaves_no_longer_sees_the_todos(auth_client, user, shared):
    membership = share(shared, user, Role.EDITOR)
    todo = TodoFactory.create(owner=shared.owner, list=shared)
    assert auth_client.get(f"{TODOS}{todo.id}/").status_code == 200
    membership.delete()
    assert auth_client.get(f"{TODOS}{todo.id}/").status_code == 404
    assert auth_client.get(TODOS).json()["results"] == []
