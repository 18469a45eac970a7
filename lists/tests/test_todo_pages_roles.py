"""The todo pages apply the list roles the API does: a viewer's crafted post is a 403 page."""

import pytest

from lists.models import Role
from lists.tests.factories import ListFactory, share
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_todo(user):
    shared = ListFactory.create(name="Flat")
    share(shared, user, Role.VIEWER)
    return TodoFactory.create(owner=shared.owner, list=shared, title="Bins out")


@pytest.mark.parametrize(
    ("path", "data"),
    [("toggle/", {"done": "on"}), ("edit/", {"title": "Mine", "version": "x"}), ("delete/", {})],
)
def test_a_viewers_crafted_post_is_a_403_page(signed_in, shared_todo, path, data):
    response = signed_in.post(f"/todos/{shared_todo.pk}/{path}", data)
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()
    shared_todo.refresh_from_db()
    assert (shared_todo.title, shared_todo.done) == ("Bins out", False)


def test_a_viewer_sees_the_shared_todo_on_the_list_page(signed_in, shared_todo):
    assert "Bins out" in signed_in.get("/todos/").content.decode()


def test_a_todo_on_no_list_of_theirs_is_a_404_page(signed_in):
    stranger = TodoFactory.create()
    assert signed_in.post(f"/todos/{stranger.pk}/delete/").status_code == 404
    assert Todo.objects.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize("path", ["edit/", "delete/"])
def test_a_viewer_gets_no_form_to_change_a_todo(signed_in, shared_todo, path):
    assert signed_in.get(f"/todos/{shared_todo.pk}/{path}").status_code == 403
