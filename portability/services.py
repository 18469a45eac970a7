"""Writes of portability: an export brought back in."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from accounts.models import User
from core.exceptions import ValidationFailed
from lists import services as list_services
from lists.selectors import inbox_id, list_access
from todos import services as todo_services


@transaction.atomic
def import_document(
    *,
    owner: User,
    lists: Sequence[Mapping[str, Any]] = (),
    todos: Sequence[Mapping[str, Any]],
) -> int:
    """
    Add an export's lists and todos to ``owner``'s, all or none; how many
    todos were added.

    A list goes into ``owner``'s list of the same name (ignoring case), or a
    new one (by the lists services' rules: their limit, a name's rules); the
    file's inbox, and a todo with no list, into ``owner``'s inbox. ``todos``
    have the API's shape (``TodoSerializer``, ``list`` a name); the rules are
    the todo services' own, and the first one broken is reported where it is
    (``todos[12].title``).
    """
    access = list_access(user=owner)
    inbox = inbox_id(access)
    # Their own lists by name, the inbox included; then the file's, made if new.
    by_name = {
        item.name.lower(): list_id for list_id, item in access.items() if item.owner_id == owner.pk
    }
    for index, fields in enumerate(lists):
        name = fields["name"].lower()
        if fields.get("is_inbox"):
            by_name[name] = inbox
        elif name not in by_name:
            try:
                by_name[name] = list_services.list_create(owner=owner, name=fields["name"]).pk
            except ValidationFailed as exc:
                raise ValidationFailed(exc.messages, field=located("lists", index, exc)) from exc
    access = list_access(user=owner)
    built = []
    for index, fields in enumerate(todos):
        name = fields.get("list")
        list_id = inbox if name is None else by_name.get(name.lower())
        if list_id is None:
            raise ValidationFailed(
                "No list of this name in the file or in your account.",
                field=f"todos[{index}].list",
            )
        values = {key: value for key, value in fields.items() if key != "list"}
        try:
            built.append(todo_services.todo_build(lists=access, list_id=list_id, **values))
        except ValidationFailed as exc:
            raise ValidationFailed(exc.messages, field=located("todos", index, exc)) from exc
    return len(todo_services.todos_create_many(todos=built))


def located(where: str, index: int, error: ValidationFailed) -> str:
    """Where in the file an error is: ``todos[12].title``, or ``lists[0]``."""
    return f"{where}[{index}].{error.field}" if error.field else f"{where}[{index}]"
