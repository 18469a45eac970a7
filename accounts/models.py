from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.time_zones import time_zone_choices


def normalize_email(email: str) -> str:
    """The whole address in lower case, so uniqueness ignores case."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        # Whoever runs createsuperuser owns the address they type.
        extra_fields.setdefault("email_verified", True)
        if extra_fields["is_staff"] is not True or extra_fields["is_superuser"] is not True:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    # Never None: Django's backends return before asking when no email is given.
    def get_by_natural_key(self, username: str) -> "User":  # type: ignore[override]
        return self.get(email=normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address; there is no username."""

    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Designates whether the user can log into the admin site.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Unselect this instead of deleting accounts; it locks the user out at once.",
    )
    email_verified = models.BooleanField(
        "email verified",
        default=False,
        # Also the column's own default: code that predates the column (a
        # rolling deploy, an older migration's model) still inserts rows.
        db_default=False,
        help_text="Whether the person proved they read mail at this address (a mailed link).",
    )
    date_joined = models.DateTimeField("date joined", default=timezone.now)
    # Where the person's day starts and ends: their reminder mail's clock and
    # their calendar feed's zone.
    # db_default too: a row written without the column (an older migration
    # state, a raw INSERT) is on UTC rather than refused.
    time_zone = models.CharField(
        max_length=64, default="UTC", db_default="UTC", choices=time_zone_choices
    )
    # When the daily reminder mail goes out, in ``time_zone``; null: no mail.
    reminder_time = models.TimeField(null=True, blank=True)
    # When the person asked to delete the account: it is locked at once, and
    # a job deletes it and everything that is its (accounts.erasure.user_erase).
    deletion_requested_at = models.DateTimeField(
        "deletion requested at", null=True, blank=True, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email
