import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Before lists: accounts as they were then, todos with their owner only.
BEFORE_LISTS = [("accounts", "0001_initial"), ("todos", "0003_list_indexes")]


@pytest.mark.django_db(transaction=True)
def test_every_existing_account_gets_an_inbox_holding_its_todos():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_LISTS)
    old_apps = executor.loader.project_state(BEFORE_LISTS).apps
    old_user, old_todo = old_apps.get_model("accounts", "User"), old_apps.get_model("todos", "Todo")
    ann = old_user.objects.create(email="ann@example.com")
    bob = old_user.objects.create(email="bob@example.com")
    old_user.objects.create(email="no-todos@example.com")
    for owner, count in ((ann, 3), (bob, 2)):
        old_todo.objects.bulk_create(old_todo(owner=owner, title="t") for _ in range(count))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new_apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    new_list = new_apps.get_model("lists", "List")
    new_todo = new_apps.get_model("todos", "Todo")
    inboxes = new_list.objects.filter(is_inbox=True)
    assert sorted(inboxes.values_list("owner__email", "name")) == [
        ("ann@example.com", "Inbox"),
        ("bob@example.com", "Inbox"),
        ("no-todos@example.com", "Inbox"),
    ]
    assert new_list.objects.count() == 3
    for inbox in inboxes:
        assert list(inbox.memberships.values_list("user_id", "role")) == [(inbox.owner_id, "owner")]
    assert {(todo.owner_id, todo.list.owner_id) for todo in new_todo.objects.all()} == {
        (ann.pk, ann.pk),
        (bob.pk, bob.pk),
    }
    assert new_todo.objects.filter(list__owner=ann.pk).count() == 3
