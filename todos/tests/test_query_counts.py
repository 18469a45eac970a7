"""
Each endpoint costs the same number of SQL queries for 5 todos or 5,000.

Transaction control (BEGIN, SAVEPOINT, RELEASE, set_config) is not counted; the user
lookup that authenticates the request is.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.tests.factories import UserFactory
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory

# And a transaction's own settings (the idempotent create's lock_timeout, on PostgreSQL).
TRANSACTION_CONTROL = (
    "BEGIN",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK",
    "COMMIT",
    "SELECT SET_CONFIG(",
)
MAX_DATA_QUERIES = 4


def data_queries(context: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


def give_todos(user, count: int) -> Todo | None:
    # The inbox named once: the factory would look it up for each of thousands.
    inbox = user.owned_lists.get(is_inbox=True)
    Todo.objects.bulk_create(
        TodoFactory.build_batch(count, owner=user, list=inbox, description="", title="Todo")
    )
    return Todo.objects.filter(owner=user).first()


ENDPOINTS = {
    "list": lambda client, todo: client.get("/api/v1/todos/", {"done": "false"}),
    "search": lambda client, todo: client.get(
        "/api/v1/todos/", {"search": "todo", "ordering": "title"}
    ),
    "detail": lambda client, todo: client.get(f"/api/v1/todos/{todo.id}/"),
    "create": lambda client, todo: client.post("/api/v1/todos/", {"title": "n"}, format="json"),
    "create-idempotent": lambda client, todo: client.post(
        "/api/v1/todos/", {"title": "n"}, format="json", HTTP_IDEMPOTENCY_KEY="key"
    ),
    "update": lambda client, todo: client.patch(
        f"/api/v1/todos/{todo.id}/", {"done": True}, format="json"
    ),
    "delete": lambda client, todo: client.delete(f"/api/v1/todos/{todo.id}/"),
}


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_number_of_todos(django_assert_max_num_queries):
    counts: dict[str, list[int]] = {}
    for owned in (5, 5000):
        user = UserFactory.create()
        todo = give_todos(user, owned)
        client = make_client(user)
        for name, call in ENDPOINTS.items():  # delete last: it removes `todo`
            with (
                django_assert_max_num_queries(MAX_DATA_QUERIES + 4),
                CaptureQueriesContext(connection) as context,
            ):
                response = call(client, todo)
            assert response.status_code < 300, (name, response.content)
            counts.setdefault(name, []).append(len(data_queries(context)))
    for name, (few, many) in counts.items():
        assert few == many, f"{name}: {few} queries for 5 todos, {many} for 5000"
        assert few <= MAX_DATA_QUERIES, f"{name}: {few} queries"


MAX_LIST_QUERIES = 3
LISTS = [
    {},
    {"done": "true", "ordering": "title"},
    {"ordering": "-due_date", "page_size": "100"},
    {"due_after": "2020-01-01", "ordering": "due_date"},
    {"search": "todo", "ordering": "-created_at"},
]


@pytest.fixture(scope="module")
def few_and_many(shared_by_the_module) -> list[User]:
    """Two owners, of 5 and of 5,000 todos, made once for the module's tests."""

    def make(accounts: list[User]) -> list[User]:
        for owned in (5, 5000):
            user = UserFactory.create()
            accounts.append(user)
            Todo.objects.bulk_create(
                TodoFactory.build_batch(
                    owned,
                    owner=user,
                    list=user.owned_lists.get(is_inbox=True),
                    title="Todo",
                    description="",
                    done=True,
                    due_date="2030-01-01",
                )
            )
        return accounts

    return shared_by_the_module(make)


@pytest.mark.django_db
@pytest.mark.parametrize("params", LISTS)
def test_a_list_page_costs_the_same_queries_first_or_far_down_for_few_or_many(params, few_and_many):
    counts = []
    for user in few_and_many:
        client = make_client(user)
        url, query = "/api/v1/todos/", params
        for _ in range(3):  # the first page, then two pages on through `next`
            with CaptureQueriesContext(connection) as context:
                response = client.get(url, query)
            assert response.status_code == 200, response.content
            counts.append(len(data_queries(context)))
            if response.json()["next"] is None:
                break
            url, query = response.json()["next"], None
    assert len(set(counts)) == 1, counts
    assert counts[0] <= MAX_LIST_QUERIES, counts
