"""
simplejwt's bearer-token authentication, with its user read by SQL the ORM
compiles once.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Field, Model
from rest_framework_simplejwt import authentication


class JWTAuthentication(authentication.JWTAuthentication):
    """
    simplejwt's, unchanged but for how it reads the token's user.

    simplejwt reads the user on every request, so that deactivating an
    account or changing its password locks its tokens out at once, with
    ``User.objects.get(id=...)``: the ORM builds and compiles the same SQL
    each time, more than half of what the lookup costs. ``get_user`` and its
    checks are simplejwt's own; the model it is handed answers that one call
    with the SQL compiled on the first request.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Stands in for the model in simplejwt's get_user, the only use of it.
        self.user_model = UsersByField(self.user_model)  # type: ignore[assignment]


class UsersByField:
    """
    What simplejwt's ``get_user`` uses of the user model, ``DoesNotExist``
    and ``objects.get(<field>=value)``, the lookup run as a raw query of the
    SQL the ORM compiles for it (every column, the model's converters
    applied, as ``get`` returns). ``DoesNotExist`` is the base of every
    model's, which ``get`` raises when no user matches.
    """

    DoesNotExist = ObjectDoesNotExist

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.objects = self

    def get(self, **lookup: Any) -> Model:
        ((field, value),) = lookup.items()
        key = (self.model, field)
        if key not in COMPILED:
            # SELECT <every column> FROM <table> WHERE <field> = %s
            COMPILED[key], _ = self.model._default_manager.filter(**lookup).query.sql_with_params()
        model_field = self.model._meta.get_field(field)
        # The value as the ORM would send it (the claim, made an int for an id).
        if isinstance(model_field, Field):
            value = model_field.get_prep_value(value)
        for user in self.model._default_manager.raw(COMPILED[key], [value]):
            return user
        raise self.DoesNotExist


#: The lookup's SQL per model and field, compiled once per process.
COMPILED: dict[tuple[type[Model], str], str] = {}
