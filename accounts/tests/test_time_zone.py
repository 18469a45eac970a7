"""A person's time zone and reminder time: ``/api/v1/auth/me/`` and the profile page."""

import datetime
import re

import pytest

from accounts.tests.utils import ME
from core.time_zones import time_zone_names

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_a_new_account_is_on_utc_without_reminders(auth_client):
    body = auth_client.get(ME).json()

    assert body["time_zone"] == "UTC"
    assert body["reminder_time"] is None


def test_patch_me_sets_the_time_zone_and_the_reminder_time(auth_client, user):
    response = auth_client.patch(ME, {"time_zone": "Europe/Paris", "reminder_time": "08:30"})

    assert response.status_code == 200
    assert response.json()["time_zone"] == "Europe/Paris"
    assert response.json()["reminder_time"] == "08:30"
    user.refresh_from_db()
    assert user.time_zone == "Europe/Paris"
    assert user.reminder_time == datetime.time(8, 30)


def test_patch_me_turns_reminders_off_with_null(auth_client, user):
    user.reminder_time = datetime.time(7, 0)
    user.save()

    response = auth_client.patch(ME, {"reminder_time": None})

    assert response.status_code == 200
    assert response.json()["reminder_time"] is None
    user.refresh_from_db()
    assert user.reminder_time is None


def test_patch_me_with_other_fields_keeps_the_zone_and_the_time(auth_client, user):
    user.time_zone, user.reminder_time = "Asia/Tokyo", datetime.time(21, 15)
    user.save()

    auth_client.patch(ME, {"name": "Ada"})

    user.refresh_from_db()
    assert (user.time_zone, user.reminder_time) == ("Asia/Tokyo", datetime.time(21, 15))


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "europe/paris", "", "Factory", "../etc/passwd", 3, None, ["UTC"]]
)
def test_patch_me_refuses_an_unknown_time_zone(auth_client, user, zone):
    response = auth_client.patch(ME, {"time_zone": zone})

    assert response.status_code == 400
    assert "time_zone" in response.json()
    user.refresh_from_db()
    assert user.time_zone == "UTC"


@pytest.mark.parametrize(
    "value", ["8:30", "24:00", "08:60", "08:30:00", "0830", "08:30Z", "", 830, True, ["08:30"]]
)
def test_patch_me_refuses_a_malformed_reminder_time(auth_client, user, value):
    response = auth_client.patch(ME, {"reminder_time": value})

    assert response.status_code == 400
    assert "reminder_time" in response.json()
    user.refresh_from_db()
    assert user.reminder_time is None


def test_the_zones_are_iana_names_from_the_pinned_tzdata():
    names = time_zone_names()

    assert {"UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"} <= set(names)
    assert "Factory" not in names
    assert list(names) == sorted(names)


def test_the_schema_lists_the_zones_and_the_time_pattern(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    user = schema["components"]["schemas"]["User"]["properties"]

    assert user["time_zone"]["allOf"] == [{"$ref": "#/components/schemas/TimeZoneEnum"}]
    zones = schema["components"]["schemas"]["TimeZoneEnum"]
    assert "Europe/Paris" in zones["enum"]
    # Constant names for generated clients, distinct where the values differ only by a sign.
    names = dict(zip(zones["enum"], zones["x-enum-varnames"], strict=True))
    assert names["Etc/GMT+5"] == "ETC_GMT_PLUS_5"
    assert names["Etc/GMT-5"] == "ETC_GMT_MINUS_5"
    assert len(set(names.values())) == len(names)
    assert user["reminder_time"]["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9]$"
    assert user["reminder_time"]["nullable"] is True


def test_profile_page_edits_the_time_zone_and_the_reminder_time(signed_in, user):
    page = signed_in.get(PROFILE).content.decode()
    assert re.search(r'<select name="time_zone"[^>]*data-browser-time-zone', page)
    assert '<option value="Europe/Paris">Europe/Paris</option>' in page
    assert 'type="time" name="reminder_time"' in page

    response = signed_in.post(
        PROFILE, {"name": user.name, "time_zone": "America/New_York", "reminder_time": "07:45"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.time_zone, user.reminder_time) == ("America/New_York", datetime.time(7, 45))
    page = signed_in.get(PROFILE).content.decode()
    assert '<option value="America/New_York" selected>' in page
    assert 'value="07:45"' in page
    # A zone the person chose is not replaced by the browser's.
    assert "data-browser-time-zone" not in page


def test_profile_page_refuses_an_unknown_zone_and_a_bad_time(signed_in, user):
    response = signed_in.post(
        PROFILE, {"name": user.name, "time_zone": "Nowhere/Land", "reminder_time": "25:00"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"time_zone", "reminder_time"}
    user.refresh_from_db()
    assert (user.time_zone, user.reminder_time) == ("UTC", None)


def test_profile_page_turns_reminders_off_with_an_empty_time(signed_in, user):
    user.reminder_time = datetime.time(9, 0)
    user.save()

    signed_in.post(PROFILE, {"name": user.name, "time_zone": "UTC", "reminder_time": ""})

    user.refresh_from_db()
    assert user.reminder_time is None
