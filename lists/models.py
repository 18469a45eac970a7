"""
Lists group todos and are shared with people. Everyone with a role on a list
has a ``Membership`` row, its owner included (role ``owner``), so "the lists
a person can see" and "their role on one" are one indexed lookup.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower

NAME_MAX_LENGTH = 100
INBOX_NAME = "Inbox"


class Role(models.TextChoices):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


#: The roles that may add, change and delete a list's todos.
WRITERS = frozenset({Role.OWNER, Role.EDITOR})
#: The roles an owner can give to somebody else.
SHARED_ROLES = [Role.EDITOR, Role.VIEWER]
SHARED_ROLE_CHOICES = [(role.value, role.label) for role in SHARED_ROLES]


class List(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="owned_lists",
        db_index=False,  # the unique constraints below start with owner
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    is_inbox = models.BooleanField(default=False, editable=False)
    # The order lists are shown in: the inbox first (its key is empty, and a
    # name never is), then by name ignoring case. One ascending column, so
    # the cursor pagination's row comparison pages through it.
    sort_key = models.GeneratedField(
        expression=models.Case(
            models.When(is_inbox=True, then=Value("")),
            default=Lower("name"),
            output_field=models.CharField(max_length=NAME_MAX_LENGTH),
        ),
        output_field=models.CharField(max_length=NAME_MAX_LENGTH),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The role of the person the list was read for, set by lists.selectors
    # (an annotation) and by the services that hand a list back.
    role: str

    class Meta:
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="list_name_unique_per_owner_ci"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_inbox=True), name="list_one_inbox_per_owner"
            ),
            models.CheckConstraint(condition=~Q(name__regex=r"^\s*$"), name="list_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,  # the unique constraint starts with user
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Also the index of "the lists this person can see, with their role".
            models.UniqueConstraint(
                fields=["user", "list"], name="membership_one_per_user_and_list"
            ),
            models.UniqueConstraint(
                fields=["list"], condition=Q(role=Role.OWNER), name="membership_one_owner_per_list"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) on {self.list}"


class Invitation(models.Model):
    """
    An address asked to join a list with a role, until ``expires_at``. Answering
    it (accept, decline) or revoking it deletes it; one per address and list.
    """

    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=10, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "email"], name="invitation_one_per_address"),
            models.CheckConstraint(
                condition=Q(role__in=SHARED_ROLES), name="invitation_role_shared"
            ),
        ]
        indexes = [
            # The invited person's pending invitations.
            models.Index(fields=["email", "expires_at"], name="invitation_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.list}"
