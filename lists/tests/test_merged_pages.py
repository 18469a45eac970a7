"""
A page of several lists' todos (GET /todos/ for a person with many lists) is
read list by list and merged (``CursorPagination._fetch``): walking it
forwards and backwards gives exactly the rows, in exactly the order, of the
one query over all of them, in every ordering and with every filter.
"""

import datetime
from urllib.parse import urlsplit

import pytest

from lists.models import Role
from lists.tests.factories import ListFactory, share
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

ORDERINGS = ["-created_at", "created_at", "title", "-title", "due_date", "-due_date"]


@pytest.fixture
def lists_of(user):
    """The user's inbox, a list of theirs and two shared with them, with varied todos."""
    mine = ListFactory.create(owner=user)
    shared = [ListFactory.create(), ListFactory.create()]
    share(shared[0], user, Role.VIEWER)
    share(shared[1], user, Role.EDITOR)
    inbox = user.owned_lists.get(is_inbox=True)
    titles = ["apple", "Banana", "cherry", "apple", "date", "Éclair", "fig", "grape"]
    for number, list_ in enumerate([inbox, mine, *shared] * 6):
        TodoFactory.create(
            owner=list_.owner,
            list=list_,
            title=titles[number % len(titles)],
            done=number % 3 == 0,
            due_date=None if number % 4 == 0 else datetime.date(2030, 1, 1 + number % 5),
        )
    TodoFactory.create(title="somebody else's")
    return [inbox, mine, *shared]


def walk(client, query: dict, *, direction: str) -> list[int]:
    """Every id, following ``next`` (or, from the last page, ``previous``)."""
    body = client.get("/api/v1/todos/", {**query, "page_size": 4}).json()
    if direction == "previous":
        while body["next"]:
            body = client.get(body["next"]).json()
    pages = [[row["id"] for row in body["results"]]]
    while body[direction]:
        parts = urlsplit(body[direction])
        body = client.get(f"{parts.path}?{parts.query}").json()
        pages.append([row["id"] for row in body["results"]])
    if direction == "previous":
        pages.reverse()
    return [pk for page in pages for pk in page]


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("extra", [{}, {"done": "false"}, {"search": "a"}])
def test_merged_pages_walk_every_row_once_in_order(auth_client, lists_of, ordering, extra):
    query = {"ordering": ordering, **extra}
    expected = walk_expected(lists_of, query)
    assert walk(auth_client, query, direction="next") == expected
    assert walk(auth_client, query, direction="previous") == expected


def walk_expected(lists, query: dict) -> list[int]:
    """The same rows through the one query the API would run without reading by list."""
    from core.api.filters import total_ordering

    rows = Todo.objects.filter(list__in=lists)
    if query.get("done"):
        rows = rows.filter(done=query["done"] == "true")
    if query.get("search"):
        from django.db.models import Q

        rows = rows.filter(
            Q(title__icontains=query["search"]) | Q(description__icontains=query["search"])
        )
    keys = total_ordering(Todo, [query["ordering"]])
    return list(rows.order_by(*(key.order_by() for key in keys)).values_list("id", flat=True))


def test_the_page_reads_each_list_once_not_every_row(
    auth_client, lists_of, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = auth_client.get("/api/v1/todos/", {"page_size": 5})
    assert len(response.json()["results"]) == 5
