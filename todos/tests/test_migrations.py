import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# accounts as it was then too: a column added since would be missing from its model.
BEFORE_THE_MOVE = [("accounts", "0001_initial"), ("todos", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_live_idempotency_keys_survive_the_move_to_core():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
    owner = old_apps.get_model("accounts", "User").objects.create(email="keys@example.com")
    created_at = timezone.now() - datetime.timedelta(hours=3)
    old_key = old_apps.get_model("todos", "IdempotencyKey").objects.create(
        owner=owner, key="retry-1", request_fingerprint="f" * 64, response_body='{"id": 7}'
    )
    type(old_key).objects.filter(pk=old_key.pk).update(created_at=created_at)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    new_apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    moved = new_apps.get_model("core", "IdempotencyKey").objects.get()
    assert (moved.owner_id, moved.scope, moved.key) == (owner.pk, "todos.create", "retry-1")
    assert (moved.request_fingerprint, moved.response_body) == ("f" * 64, '{"id": 7}')
    assert moved.created_at == created_at


BEFORE_THE_LIST_INDEXES = [("todos", "0002_move_idempotency_key_to_core")]
# Per list since todos 0005 (per owner in 0003).
LIST_INDEXES = {
    "todo_list_created_idx",
    "todo_list_done_idx",
    "todo_list_title_idx",
    "todo_list_due_idx",
    "todo_list_due_desc_idx",
    "todo_list_done_title_idx",
    "todo_list_done_due_idx",
    "todo_list_done_due_desc_idx",
}
SEARCH_INDEXES = {"todo_title_trgm_idx", "todo_description_trgm_idx"}


def todo_indexes() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "todos_todo")
    return {name for name, about in constraints.items() if about["index"]}


@pytest.mark.django_db(transaction=True)
def test_the_list_indexes_apply_and_unapply_on_this_database():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_LIST_INDEXES)
    assert not todo_indexes() & (LIST_INDEXES | SEARCH_INDEXES)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # The trigram indexes are PostgreSQL's (pg_trgm); elsewhere search scans.
    expected = LIST_INDEXES | (SEARCH_INDEXES if connection.vendor == "postgresql" else set())
    assert todo_indexes() >= expected
    assert not (todo_indexes() - expected) & SEARCH_INDEXES
