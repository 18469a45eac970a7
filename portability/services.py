"""Writes of portability: an export brought back in."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from accounts.models import User
from core.exceptions import ValidationFailed
from lists.selectors import list_access
from todos import services as todo_services


@transaction.atomic
def import_document(*, owner: User, todos: Sequence[Mapping[str, Any]]) -> int:
    """
    Add an export's todos to ``owner``'s, all or none; how many were added.

    ``todos`` have the API's shape (``TodoSerializer``); the rules are the
    todo services' own, and the first one broken is reported where it is
    (``todos[12].title``).
    """
    built = []
    lists = list_access(user=owner)  # no `list`: the inbox; else one they may write to
    for index, fields in enumerate(todos):
        try:
            built.append(todo_services.todo_build(lists=lists, **fields))
        except ValidationFailed as exc:
            raise ValidationFailed(exc.messages, field=f"todos[{index}].{exc.field}") from exc
    return len(todo_services.todos_create_many(todos=built))
