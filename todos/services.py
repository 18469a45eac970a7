"""Writes to todos: the rules about completion."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from todos.models import Todo


def todo_create(
    *,
    owner: User,
    title: str,
    description: str = "",
    done: bool = False,
    due_date: date | None = None,
) -> Todo:
    return Todo.objects.create(
        owner=owner,
        title=title,
        description=description,
        done=done,
        due_date=due_date,
        completed_at=completion_time(done=done),
    )


def completion_time(*, done: bool) -> datetime | None:
    """``completed_at`` for a todo that has just become done (or undone)."""
    return timezone.now() if done else None


def todo_update(*, todo: Todo, fields: dict[str, Any]) -> Todo:
    """Apply changed fields; ``completed_at`` follows ``done``."""
    if "done" in fields and fields["done"] != todo.done:
        todo.completed_at = completion_time(done=fields["done"])
    for name, value in fields.items():
        setattr(todo, name, value)
    todo.save()
    return todo


def todos_set_done(*, todos: QuerySet[Todo], done: bool) -> int:
    """Bulk completion for the admin: one UPDATE, timestamps kept right."""
    return todos.exclude(done=done).update(
        done=done, completed_at=completion_time(done=done), updated_at=timezone.now()
    )


def todo_delete(*, todo: Todo) -> None:
    todo.delete()
