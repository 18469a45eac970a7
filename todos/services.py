"""
Writes to todos, and the rules they keep: a title is not blank once trimmed
and is stored trimmed (its length limit is the model's, which the API's and
the pages' fields check); ``completed_at`` follows ``done``; an update or a
delete given the version it was meant for happens only at that version; a
todo's list must be one the writer is owner or editor of, and the todo
belongs to that list's owner (``owner`` moves with it).
"""

from collections.abc import Mapping, Sequence, Set
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.exceptions import PreconditionFailed, ValidationFailed
from lists.models import WRITERS
from lists.selectors import ListAccess, inbox_id, require_role
from todos.models import Todo
from todos.selectors import todo_version

BLANK_TITLE = "This field may not be blank."
# What an update may change: never the owner (it follows the list), nor what
# follows from the rest.
WRITABLE_FIELDS = frozenset({"title", "description", "done", "due_date", "list_id"})


def unknown_list(list_id: int) -> ValidationFailed:
    """A list the writer cannot see: the same 400 as for an id that does not exist."""
    return ValidationFailed(f'Invalid pk "{list_id}" - object does not exist.', field="list")


def writable_list(*, lists: Mapping[int, ListAccess], list_id: int) -> ListAccess:
    """The list, if the writer may add, change and delete its todos (owner, editor)."""
    access = lists.get(list_id)
    if access is None:
        raise unknown_list(list_id)
    require_role(role=access.role, allowed=WRITERS)
    return access


def todo_create(
    *,
    lists: Mapping[int, ListAccess],
    title: str,
    list_id: int | None = None,
    description: str = "",
    done: bool = False,
    due_date: date | None = None,
) -> Todo:
    """Into ``list_id``, or else the writer's inbox. ``lists``: the writer's (list_access)."""
    todo = todo_build(
        lists=lists,
        list_id=list_id,
        title=title,
        description=description,
        done=done,
        due_date=due_date,
    )
    todo.save(force_insert=True)
    return todo


def todo_build(
    *,
    lists: Mapping[int, ListAccess],
    title: str,
    list_id: int | None = None,
    description: str = "",
    done: bool = False,
    due_date: date | None = None,
) -> Todo:
    """A new todo by ``todo_create``'s rules, not saved yet (``todos_create_many`` saves many)."""
    if list_id is None:
        list_id = inbox_id(lists)
    access = writable_list(lists=lists, list_id=list_id)
    return Todo(
        owner_id=access.owner_id,
        list_id=list_id,
        title=clean_title(title),
        description=description,
        done=done,
        due_date=due_date,
        completed_at=completion_time(done=done),
    )


def todos_create_many(*, todos: Sequence[Todo]) -> list[Todo]:
    """Todos made by ``todo_build``, saved in batches of inserts (an import)."""
    return Todo.objects.bulk_create(todos, batch_size=1000)


def clean_title(title: str) -> str:
    """The title as stored: trimmed, and refused if nothing is left."""
    trimmed = title.strip()
    if not trimmed:
        raise ValidationFailed(BLANK_TITLE, field="title")
    return trimmed


def completion_time(*, done: bool) -> datetime | None:
    """``completed_at`` for a todo that has just become done (or undone)."""
    return timezone.now() if done else None


def todo_update(
    *,
    todo: Todo,
    lists: Mapping[int, ListAccess],
    data: Mapping[str, Any],
    expected_versions: Set[str] | None = None,
) -> Todo:
    """
    Write ``data``, which names only ``WRITABLE_FIELDS``; ``completed_at``
    follows ``done``. The writer (``lists``: theirs) must be owner or editor
    of the todo's list, and of the list it moves to (``list_id``).

    ``expected_versions``: the write happens only if the todo is still at one
    of them (``todo_version``, its ETag), else ``PreconditionFailed``; the
    caller holds the row (``select_for_update``) until it commits.
    """
    refused = data.keys() - WRITABLE_FIELDS
    if refused:
        raise TypeError(f"todo_update cannot write {', '.join(sorted(refused))}")
    writable_list(lists=lists, list_id=todo.list_id)
    require_version(todo=todo, expected_versions=expected_versions)
    fields = dict(data)
    if "title" in fields:
        fields["title"] = clean_title(fields["title"])
    if "list_id" in fields:
        fields["owner_id"] = writable_list(lists=lists, list_id=fields["list_id"]).owner_id
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


def todo_delete(
    *,
    todo: Todo,
    lists: Mapping[int, ListAccess],
    expected_versions: Set[str] | None = None,
) -> None:
    """Delete; the role and ``expected_versions`` as for ``todo_update``."""
    writable_list(lists=lists, list_id=todo.list_id)
    require_version(todo=todo, expected_versions=expected_versions)
    todo.delete()


def require_version(*, todo: Todo, expected_versions: Set[str] | None) -> None:
    # The version is computed only when asked for: most writes name none.
    if expected_versions is not None and todo_version(todo=todo) not in expected_versions:
        raise PreconditionFailed
