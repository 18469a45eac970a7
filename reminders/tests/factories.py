import datetime

import factory

from accounts.models import User
from accounts.tests.factories import UserFactory
from reminders.services import reminder_schedule_sync

#: Before every pass the tests run: a schedule made then starts with its first day.
SCHEDULED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class RemindedUserFactory(UserFactory):
    """
    A person with reminders on, scheduled as saving the profile would at
    ``schedule=`` (a datetime; default ``SCHEDULED_AT``): the tests' passes
    run on their own clock.
    """

    time_zone = "UTC"
    reminder_time = datetime.time(8, 0)

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def schedule(
        obj: User, create: bool, extracted: datetime.datetime | None, **kwargs: object
    ) -> None:
        if create:
            reminder_schedule_sync(user=obj, now=extracted or SCHEDULED_AT)
