"""
Every documented list query is answered by the index made for it (PostgreSQL).

The SQL is what the API really runs for the request; ``EXPLAIN`` shows the
plan. Sequential scans are switched off for the test's transaction, so the
assertion is about whether the index can serve the query (the planner's choice
on a table this small would otherwise depend on its statistics): an index scan
on the named index, no Sort node, and for a later page the cursor in the
index's range condition rather than in a filter over the list's rows. An
account that sees one list (its inbox) reads it as ``list_id = <id>``.
"""

import datetime
import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.clients import make_client
from todos.models import Todo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the indexes are PostgreSQL's plans"
    ),
]

TODAY = datetime.date.today().isoformat()  # the seeded due dates spread around it
CASES = [
    ({}, "todo_list_created_idx"),
    ({"ordering": "created_at"}, "todo_list_created_idx"),
    ({"ordering": "-created_at"}, "todo_list_created_idx"),
    ({"ordering": "due_date"}, "todo_list_due_idx"),
    ({"ordering": "-due_date"}, "todo_list_due_desc_idx"),
    ({"ordering": "title"}, "todo_list_title_idx"),
    ({"ordering": "-title"}, "todo_list_title_idx"),
    ({"done": "true"}, "todo_list_done_idx"),
    ({"done": "false", "ordering": "created_at"}, "todo_list_done_idx"),
    ({"done": "false", "ordering": "due_date"}, "todo_list_done_due_idx"),
    ({"done": "true", "ordering": "-due_date"}, "todo_list_done_due_desc_idx"),
    ({"done": "false", "ordering": "title"}, "todo_list_done_title_idx"),
    ({"done": "true", "ordering": "-title"}, "todo_list_done_title_idx"),
    ({"due_after": TODAY, "ordering": "due_date"}, "todo_list_due_idx"),
    ({"due_before": TODAY, "ordering": "-due_date"}, "todo_list_due_desc_idx"),
]


@pytest.fixture
def owner():
    # Seeded: the plans depend on the statistics of the data, which stay the same.
    call_command(
        "seed_demo", email="big@example.com", todos=1000, seed=7, yes=True, stdout=io.StringIO()
    )
    user = User.objects.get(email="big@example.com")
    inbox = user.owned_lists.get(is_inbox=True)
    Todo.objects.create(owner=user, list=inbox, title="Feed the quokka")
    Todo.objects.create(
        owner=user, list=inbox, title="Vet", description="Ask about the Quokka's paw"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE todos_todo")
        cursor.execute("ANALYZE lists_membership")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return user


def plan_of_list(client, params: dict) -> tuple[dict, dict]:
    """The plan of the todos query behind ``GET todos/?params``, and the response body."""
    with CaptureQueriesContext(connection) as context:
        response = client.get("/api/v1/todos/", params)
    assert response.status_code == 200, response.content
    (sql,) = [q["sql"] for q in context.captured_queries if 'FROM "todos_todo"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]["Plan"]
    return plan, response.json()


def nodes(plan: dict) -> list[dict]:
    return [plan, *(node for child in plan.get("Plans", []) for node in nodes(child))]


@pytest.mark.parametrize(("params", "index"), CASES)
def test_each_page_is_one_range_of_its_index(owner, params, index):
    client = make_client(owner)
    plan, body = plan_of_list(client, params)
    scans = [node for node in nodes(plan) if node["Node Type"] == "Index Scan"]
    assert [scan["Index Name"] for scan in scans] == [index], plan
    assert not [node for node in nodes(plan) if node["Node Type"] == "Sort"], plan
    if "due_after" in params or "due_before" in params:
        assert "COALESCE" in scans[0]["Index Cond"], plan  # starts at the date

    next_page = dict(parse_qsl(urlsplit(body["next"]).query))
    plan, _ = plan_of_list(client, next_page)
    scans = [node for node in nodes(plan) if node["Node Type"] == "Index Scan"]
    assert [scan["Index Name"] for scan in scans] == [index], plan
    assert not [node for node in nodes(plan) if node["Node Type"] == "Sort"], plan
    assert "ROW(" in scans[0]["Index Cond"], plan  # the cursor bounds the range


@pytest.mark.parametrize("ordering", ["-created_at", "title", "-due_date"])
def test_search_reads_the_trigram_indexes(owner, ordering):
    plan, body = plan_of_list(make_client(owner), {"search": "quokka", "ordering": ordering})
    assert {result["title"] for result in body["results"]} == {"Feed the quokka", "Vet"}
    bitmaps = {
        node["Index Name"] for node in nodes(plan) if node["Node Type"] == "Bitmap Index Scan"
    }
    assert bitmaps == {"todo_title_trgm_idx", "todo_description_trgm_idx"}, plan
