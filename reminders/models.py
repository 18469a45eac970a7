from django.conf import settings
from django.db import models


class ReminderSchedule(models.Model):
    """
    When a person's next reminder mail is due: a row only while their reminders
    are on (``User.reminder_time`` set), kept in step by ``reminders.services``.

    A pass reads the rows due by the index on ``due_at`` and claims each by
    moving ``due_at`` to the next local day, in one conditional UPDATE: so the
    people not due cost nothing, and two passes never claim the same day.
    Deleted with the account (CASCADE).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reminder_schedule",
    )
    # The instant (UTC) of the next mail: the reminder time on a local day.
    due_at = models.DateTimeField(db_index=True)
    # The local day of the last mail claimed; the next is for a later day.
    sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reminder of user {self.user_id} due {self.due_at.isoformat()}"
