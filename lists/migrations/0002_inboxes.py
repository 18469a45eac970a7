"""
Every existing account gets its inbox (and its owner membership), and every
todo moves into its owner's inbox. Accounts made from now on get theirs as
they are made (lists.signals). Three statements, whatever the number of rows:
the todos move in one UPDATE.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def create_inboxes(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    List = apps.get_model("lists", "List")
    Membership = apps.get_model("lists", "Membership")
    Todo = apps.get_model("todos", "Todo")
    without_inbox = User.objects.exclude(owned_lists__is_inbox=True).values_list("pk", flat=True)
    List.objects.bulk_create(
        [List(owner_id=pk, name="Inbox", is_inbox=True) for pk in without_inbox.iterator()],
        batch_size=1000,
    )
    inboxes = List.objects.filter(is_inbox=True, memberships__isnull=True)
    Membership.objects.bulk_create(
        [
            Membership(list_id=pk, user_id=owner_id, role="owner")
            for pk, owner_id in inboxes.values_list("pk", "owner_id").iterator()
        ],
        batch_size=1000,
    )
    inbox = List.objects.filter(owner=OuterRef("owner"), is_inbox=True).values("pk")[:1]
    Todo.objects.filter(list__isnull=True).update(list=Subquery(inbox))


def empty_inboxes(apps, schema_editor):
    """Backwards: todos leave their lists (the next step back drops the column)."""
    apps.get_model("todos", "Todo").objects.update(list=None)


class Migration(migrations.Migration):
    dependencies = [
        ("lists", "0001_initial"),
        ("todos", "0004_todo_list"),
    ]

    operations = [migrations.RunPython(create_inboxes, empty_inboxes)]
