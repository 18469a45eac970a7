"""The staff admin for todos: changelist, search, filters, bulk actions, query cost."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from todos.models import Todo
from todos.tests.factories import TodoFactory

CHANGELIST = "/admin/todos/todo/"


@pytest.fixture
def staff_client(db) -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_changelist_lists_owner_done_and_dates(staff_client):
    todo = TodoFactory.create(title="Admin visible", owner__email="owner@example.com")
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Admin visible" in page
    assert "owner@example.com" in page
    for column in ("column-done", "column-due_date", "column-created_at", "column-updated_at"):
        assert column in page
    assert staff_client.get(f"{CHANGELIST}{todo.id}/change/").status_code == 200


@pytest.mark.django_db
def test_search_covers_title_description_and_owner_email(staff_client):
    TodoFactory.create(title="Alpha", description="", owner__email="a@example.com")
    TodoFactory.create(title="Beta", description="mentions alpha", owner__email="b@example.com")
    TodoFactory.create(title="Gamma", description="", owner__email="alpha@example.com")
    TodoFactory.create(title="Delta", description="", owner__email="d@example.com")
    page = staff_client.get(CHANGELIST, {"q": "alpha"}).content.decode()
    assert "Alpha" in page
    assert "Beta" in page
    assert "Gamma" in page
    assert "Delta" not in page


@pytest.mark.django_db
def test_filter_on_done(staff_client):
    TodoFactory.create(title="Finished", done=True)
    TodoFactory.create(title="Pending", done=False)
    page = staff_client.get(CHANGELIST, {"done__exact": "1"}).content.decode()
    assert "Finished" in page
    assert "Pending" not in page


@pytest.mark.django_db
def test_bulk_mark_done_and_undone_keep_completed_at_in_step(staff_client):
    todos = TodoFactory.create_batch(3)
    ids = [todo.id for todo in todos]
    response = staff_client.post(
        CHANGELIST, {"action": "mark_done", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert "3 todo(s) marked as done." in response.content.decode()
    assert all(todo.done and todo.completed_at for todo in Todo.objects.all())

    staff_client.post(CHANGELIST, {"action": "mark_undone", "_selected_action": ids[:2]})
    undone = Todo.objects.filter(id__in=ids[:2])
    assert all(not todo.done and todo.completed_at is None for todo in undone)
    assert Todo.objects.get(id=ids[2]).done


@pytest.mark.django_db
def test_editing_done_in_the_admin_sets_completed_at(staff_client):
    todo = TodoFactory.create()
    response = staff_client.post(
        f"{CHANGELIST}{todo.id}/change/",
        {"owner": todo.owner_id, "title": todo.title, "description": "", "done": "on"},
    )
    assert response.status_code == 302, response.content
    todo.refresh_from_db()
    assert todo.done
    assert todo.completed_at is not None


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_rows(staff_client):
    counts = []
    for batch in (3, 60):
        TodoFactory.create_batch(batch, owner=UserFactory.create())
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(CHANGELIST).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_admin_requires_staff(db):
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(UserFactory.create(is_staff=False))
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
