from django.conf import settings
from rest_framework import serializers


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        read_only=True,
        help_text="The feed's secret address (iCalendar): give it to a calendar app "
        "as a subscription; anyone who has it can read the feed. The feed holds the open "
        f"todos due from {settings.CALENDAR_FEED_PAST_DAYS} days ago on, the earliest first, "
        f"at most {settings.CALENDAR_FEED_MAX_EVENTS} of them.",
    )
