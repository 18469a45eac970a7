import factory

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
    def owner_membership(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            Membership.objects.create(list=self, user=self.owner, role=Role.OWNER)


def share(list_: List, user: object, role: str = Role.EDITOR) -> Membership:
    return Membership.objects.create(list=list_, user=user, role=role)
