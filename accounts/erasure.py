"""
The account deletion job's writes (``accounts.tasks.erase_account`` runs them;
``accounts.services.user_request_deletion`` locks the account and queues it).
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet

from accounts.models import User


def user_erase(*, user_id: int) -> bool:
    """
    Delete an account whose deletion was asked for, and every row that refers
    to it, in batches of ``ACCOUNT_ERASE_BATCH_SIZE`` each committed on its
    own, the account's own row last; say whether this run deleted that row.

    Run again after a failure part-way, it carries on where it stopped; run
    after it finished, it does nothing. The account stays locked throughout.
    Of runs that overlap (the hourly sweep queues a job again while the first
    still runs), exactly one deletes the row: the database's row lock decides,
    so that one alone goes on to mail.
    """
    user = User.objects.filter(pk=user_id, deletion_requested_at__isnull=False).first()
    if user is None:
        return False
    for model, field in erase_order():
        delete_in_batches(model._base_manager.filter(**{field: user_id}))
    _, deleted = user.delete()
    return deleted.get(User._meta.label, 0) == 1


def erase_order() -> list[tuple[type[Model], str]]:
    """
    Every model with a foreign key to ``User`` (whichever app declares it)
    and the key's name, a model before those it refers to: a list's todos go
    a batch at a time before the list, not all at once by its cascade.
    """
    relations = [
        (relation.related_model, relation.field.name)
        for relation in User._meta.related_objects
        # "self" only names a relation while models load.
        if not relation.many_to_many and relation.related_model != "self"
    ]
    ordered: list[tuple[type[Model], str]] = []
    while relations:
        pending = {model for model, _ in relations}
        ready = [
            (model, field)
            for model, field in relations
            if not any(refers_to(other, model) for other in pending - {model})
        ] or relations  # a cycle: the cascades finish it
        ordered += ready
        relations = [relation for relation in relations if relation not in ready]
    return ordered


def refers_to(model: type[Model], target: type[Model]) -> bool:
    return any(
        field.related_model is target
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one)
    )


def delete_in_batches(queryset: QuerySet[Any]) -> int:
    """Delete ``queryset``'s rows, ``ACCOUNT_ERASE_BATCH_SIZE`` per transaction; how many."""
    deleted = 0
    size = settings.ACCOUNT_ERASE_BATCH_SIZE
    while batch := list(queryset.values_list("pk", flat=True)[:size]):
        with transaction.atomic():
            queryset.model._base_manager.filter(pk__in=batch).delete()
        deleted += len(batch)
    return deleted
