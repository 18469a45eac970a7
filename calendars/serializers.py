from rest_framework import serializers


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        read_only=True,
        help_text="The feed's secret address (iCalendar): give it to a calendar app "
        "as a subscription; anyone who has it can read the feed.",
    )
