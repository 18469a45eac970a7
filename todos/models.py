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
