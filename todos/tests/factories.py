import factory

from accounts.tests.factories import UserFactory
from todos.models import Todo


class TodoFactory(factory.django.DjangoModelFactory[Todo]):
    class Meta:
        model = Todo

    owner = factory.SubFactory(UserFactory)
    # The owner's inbox; a todo on another list is made with that list's owner.
    list = factory.LazyAttribute(lambda todo: todo.owner.owned_lists.get(is_inbox=True))
    title = factory.Sequence(lambda n: f"Todo {n}")
    description = factory.Faker("sentence")
