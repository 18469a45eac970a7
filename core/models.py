from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """
    A client's ``Idempotency-Key`` for one operation, and the answer it got.

    The unique row is the lock: a retry that arrives while the first request
    is still running waits on it in the database, whichever worker or
    instance it lands on, then replays the stored answer.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Which operation the key was sent to ("todos.create"): keys never cross operations.
    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    # The first answer's JSON exactly as sent: jsonb would reorder its members.
    response_body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "scope", "key"], name="idempotency_owner_scope_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.key
