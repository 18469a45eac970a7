from django.conf import settings
from django.db import models
from django.db.models import Q


class Todo(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todos"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The owner's list in its default order, and filtered by done.
            models.Index(fields=["owner", "-created_at", "-id"], name="todo_owner_created_idx"),
            models.Index(
                fields=["owner", "done", "-created_at", "-id"], name="todo_owner_done_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title__regex=r"^\s*$"), name="todo_title_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdempotencyKey(models.Model):
    """
    A client's ``Idempotency-Key`` for one create, and the answer it got.

    The unique row is the lock: a retry that arrives while the first request
    is still running waits on it in the database, whichever worker or
    instance it lands on, then replays the stored answer.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    # The first answer's JSON exactly as sent: jsonb would reorder its members.
    response_body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key
