from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


@cache
def default_password_hash() -> str:
    """Hash the shared password once: Argon2 is slow on purpose."""
    return make_password(DEFAULT_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """Users whose password is ``DEFAULT_PASSWORD`` (Argon2-hashed, like production)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.LazyFunction(default_password_hash)
