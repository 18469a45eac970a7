from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import BaseExpression, Combinable

from core.expressions import InfinityIfNull


def list_order_indexes(*, done: bool) -> list[models.Index]:
    """
    One index per ``?ordering=`` key, on ``(list[, done], key, id)``: exactly
    the ORDER BY that cursor pagination generates, so a page is one index range
    read from its cursor on, whatever the list holds (in either direction: an
    index reads backwards as well as forwards). A nullable date sorts as
    ``InfinityIfNull``, whose sentinel flips with the direction, so due_date has
    one index per direction.
    """
    prefix, suffix = ([F("list"), F("done")], "done_") if done else ([F("list")], "")
    keys: dict[str, Combinable | BaseExpression] = {
        "title": F("title"),
        "due": InfinityIfNull(F("due_date")),
        "due_desc": InfinityIfNull(F("due_date"), descending=True),
    }
    return [
        models.Index(*prefix, key, F("id"), name=f"todo_list_{suffix}{name}_idx")
        for name, key in keys.items()
    ]


class Todo(models.Model):
    # The title's limit, which the API's and the pages' fields read (the rest
    # of the title's rules are todos.services').
    TITLE_MAX_LENGTH = 200

    # The owner of the todo's list (kept in step when a todo moves): an
    # account's own todos, and what goes with the account when it is deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todos"
    )
    # No index of its own: every index below starts with list.
    list = models.ForeignKey(
        "lists.List", on_delete=models.CASCADE, related_name="todos", db_index=False
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # A list's todos in each order, and filtered by done in each order.
        # Search has trigram indexes too, on PostgreSQL only (migration 0003).
        indexes = [
            models.Index(fields=["list", "-created_at", "-id"], name="todo_list_created_idx"),
            models.Index(fields=["list", "done", "-created_at", "-id"], name="todo_list_done_idx"),
            *list_order_indexes(done=False),
            *list_order_indexes(done=True),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title__regex=r"^\s*$"), name="todo_title_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title
