"""Writes to todos: the rules about completion and idempotent creation."""

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from todos.models import IdempotencyKey, Todo

IDEMPOTENCY_KEY_TTL = timedelta(hours=24)


class IdempotencyKeyReused(Exception):
    """The key was used before with a different request body."""


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


@transaction.atomic
def todo_create_idempotent(
    *,
    owner: User,
    key: str,
    request_data: Any,
    fields: dict[str, Any],
    render: Callable[[Todo], dict],
) -> tuple[dict, bool]:
    """
    Create a todo once per ``(owner, key)``; return ``(body, replayed)``.

    The todo and its key are inserted together. A retry that races the first
    request waits on the first transaction's uncommitted key row (the unique
    constraint), whichever worker or instance it runs on; when that commits,
    the retry's own insert is rolled back and the first answer replayed.
    """
    fingerprint = request_fingerprint(request_data)
    try:
        with transaction.atomic():
            body = render(todo_create(owner=owner, **fields))
            IdempotencyKey.objects.create(
                owner=owner,
                key=key,
                request_fingerprint=fingerprint,
                response_body=json.dumps(body, cls=DjangoJSONEncoder),
            )
            return body, False
    except IntegrityError:
        record = IdempotencyKey.objects.get(owner=owner, key=key)
    if record.created_at < timezone.now() - IDEMPOTENCY_KEY_TTL:
        record.delete()
        return todo_create_idempotent(
            owner=owner, key=key, request_data=request_data, fields=fields, render=render
        )
    if record.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused
    return json.loads(record.response_body), True


def request_fingerprint(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


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


def idempotency_keys_purge(*, older_than: timedelta = IDEMPOTENCY_KEY_TTL) -> int:
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
