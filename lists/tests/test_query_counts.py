"""
Queries per request stay the same however many lists, members and todos
there are (transaction control is not counted; the user lookup is).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from lists.models import List, Membership, Role
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory
from todos.tests.test_query_counts import data_queries

pytestmark = pytest.mark.django_db


def person_with(*, lists: int, members: int, todos_per_list: int):
    """A person sharing ``lists`` lists of someone else's, each with members and todos."""
    owner, person = UserFactory.create(), UserFactory.create()
    others = UserFactory.create_batch(members)
    made = List.objects.bulk_create(List(owner=owner, name=f"L{n}") for n in range(lists))
    Membership.objects.bulk_create(
        Membership(list=list_, user=user, role=role)
        for list_ in made
        for user, role in [(owner, Role.OWNER), (person, Role.EDITOR)]
        + [(other, Role.VIEWER) for other in others]
    )
    Todo.objects.bulk_create(
        TodoFactory.build(owner=owner, list=list_, title="Todo", description="")
        for list_ in made
        for _ in range(todos_per_list)
    )
    return person, made[0]


ENDPOINTS = {
    # name: (call, most queries)
    "todos": (lambda client, list_: client.get("/api/v1/todos/"), 4),
    "todos of a list": (lambda client, list_: client.get("/api/v1/todos/", {"list": list_.id}), 4),
    "todos, next page": (
        lambda client, list_: client.get(client.get("/api/v1/todos/").json()["next"]),
        4 + 4,  # the first page is fetched too
    ),
    "lists": (lambda client, list_: client.get("/api/v1/lists/"), 3),
    "a list": (lambda client, list_: client.get(f"/api/v1/lists/{list_.id}/"), 3),
    "members": (lambda client, list_: client.get(f"/api/v1/lists/{list_.id}/members/"), 4),
    "create": (
        lambda client, list_: client.post("/api/v1/todos/", {"title": "n", "list": list_.id}),
        4,
    ),
    "create in the inbox": (lambda client, list_: client.post("/api/v1/todos/", {"title": "n"}), 4),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_queries_do_not_grow_with_lists_members_or_todos(name):
    call, most = ENDPOINTS[name]
    counts = []
    for lists, members, todos_per_list in ((1, 1, 25), (12, 6, 60)):
        person, list_ = person_with(lists=lists, members=members, todos_per_list=todos_per_list)
        client = make_client(person)
        with CaptureQueriesContext(connection) as context:
            response = call(client, list_)
        assert response.status_code < 300, response.content
        counts.append(len(data_queries(context)))
    assert counts[0] == counts[1], f"{name}: {counts}"
    assert counts[0] <= most, f"{name}: {counts[0]} queries"
