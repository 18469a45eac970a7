"""Reads of todos. Every read is scoped to one owner."""

from django.db.models import QuerySet

from accounts.models import User
from todos.models import Todo


def todo_list(*, owner: User) -> QuerySet[Todo]:
    """The owner's todos, newest first; nobody else's are ever reachable."""
    return Todo.objects.filter(owner=owner)
