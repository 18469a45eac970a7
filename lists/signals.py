from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from lists import services


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="lists.inbox_for_new_account")
def create_inbox(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """Every account has exactly one inbox from the moment it exists (fixtures excepted)."""
    if created and not raw:
        services.inbox_create(owner=instance)
