import factory

from accounts.models import User
from accounts.tests.factories import UserFactory
from lists.models import List, Membership, Role


class ListFactory(factory.django.DjangoModelFactory[List]):
    """A list with its owner's membership, as ``lists.services.list_create`` makes one."""

    class Meta:
        model = List
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"List {n}")

    @factory.post_generation
    def owner_membership(obj: List, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            Membership.objects.create(list=obj, user=obj.owner, role=Role.OWNER)


def share(list_: List, user: User, role: str = Role.EDITOR) -> Membership:
    return Membership.objects.create(list=list_, user=user, role=role)
