"""
The calendar feed: its address through the API and the profile page, and the
iCalendar document a calendar client polls, parsed back with ``icalendar``.
"""

import datetime
import hashlib
import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone
from icalendar import Calendar

from calendars.models import CalendarFeed
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

FEED_API = "/api/v1/auth/calendar-feed/"
PROFILE = "/accounts/profile/"
FEED_URL = re.compile(r"^https://testserver/calendar/([A-Za-z0-9_-]{43})\.ics$")


@pytest.fixture(autouse=True)
def _host_header(auth_client, other_client, signed_in):
    """Clients send Host, as every real one does (the address is built on it)."""
    for client in (auth_client, other_client, signed_in):
        client.defaults["HTTP_HOST"] = "testserver"


def secret_of(url: str) -> str:
    match = FEED_URL.match(url)
    assert match, url
    return match[1]


def address_on(page: str) -> str:
    match = re.search(r'id="calendar-feed-url" type="text" value="([^"]+)"', page)
    assert match, "no feed address on the page"
    return match[1]


def feed_path(url: str) -> str:
    return url.removeprefix("https://testserver")


def calendar_client() -> Client:
    """A calendar app: no session, no token, over https through the proxy."""
    return Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver")


def parse(response) -> Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


# --- The address, through the API -----------------------------------------------------


def test_post_makes_a_secret_address_on_the_services_host(auth_client):
    response = auth_client.post(FEED_API)

    assert response.status_code == 201
    assert set(response.json()) == {"url"}
    assert FEED_URL.match(response.json()["url"])
    assert auth_client.get(FEED_API).json() == response.json()


def test_no_feed_until_asked_for(auth_client):
    response = auth_client.get(FEED_API)

    assert response.status_code == 404
    assert response.json()["detail"] == "You have no calendar feed."


def test_posting_again_replaces_the_address_and_the_old_one_dies(auth_client):
    old = auth_client.post(FEED_API).json()["url"]

    new = auth_client.post(FEED_API).json()["url"]

    assert new != old
    assert auth_client.get(FEED_API).json()["url"] == new
    assert calendar_client().get(feed_path(old)).status_code == 404
    assert calendar_client().get(feed_path(new)).status_code == 200


def test_delete_turns_the_feed_off(auth_client):
    url = auth_client.post(FEED_API).json()["url"]

    assert auth_client.delete(FEED_API).status_code == 204

    assert auth_client.get(FEED_API).status_code == 404
    assert calendar_client().get(feed_path(url)).status_code == 404
    assert auth_client.delete(FEED_API).status_code == 204


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_the_address_needs_a_token(api_client, method):
    assert getattr(api_client, method)(FEED_API).status_code == 401


def test_each_person_has_their_own_feed(auth_client, other_client, user, other_user):
    mine = auth_client.post(FEED_API).json()["url"]
    TodoFactory.create(owner=other_user, title="Theirs", due_date=datetime.date(2030, 1, 1))

    assert other_client.get(FEED_API).status_code == 404
    events = parse(calendar_client().get(feed_path(mine))).events
    assert [str(event["SUMMARY"]) for event in events] == []


def test_the_secret_is_stored_nowhere(auth_client, user):
    url = auth_client.post(FEED_API).json()["url"]
    secret = secret_of(url)

    stored = CalendarFeed.objects.values().get(user=user)

    assert secret not in repr(stored)
    assert stored["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()


def test_a_new_signing_key_turns_every_feed_off(auth_client):
    url = auth_client.post(FEED_API).json()["url"]

    with override_settings(SECRET_KEY="another-signing-key-" * 3):
        assert calendar_client().get(feed_path(url)).status_code == 404
        assert auth_client.get(FEED_API).status_code == 404


def test_the_feed_goes_with_the_account(auth_client, user):
    auth_client.post(FEED_API)

    user.delete()

    assert not CalendarFeed.objects.exists()


# --- The document ------------------------------------------------------------------


def test_the_feed_is_the_open_todos_with_a_due_date_field_by_field(auth_client, user):
    user.name, user.time_zone = "Ada", "Europe/Paris"
    user.save()
    report = TodoFactory.create(
        owner=user,
        title="Write the report",
        description="Two pages",
        due_date=datetime.date(2030, 1, 31),
    )
    call = TodoFactory.create(
        owner=user, title="Call; the bank, now", description="", due_date=datetime.date(2029, 12, 1)
    )
    TodoFactory.create(owner=user, title="Done", done=True, due_date=datetime.date(2030, 1, 1))
    TodoFactory.create(owner=user, title="Someday", due_date=None)
    TodoFactory.create(title="Somebody else's", due_date=datetime.date(2030, 1, 1))
    url = auth_client.post(FEED_API).json()["url"]

    calendar = parse(calendar_client().get(feed_path(url)))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Todo//Calendar feed//EN"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Todos of Ada"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert "METHOD" not in calendar
    # Poll hourly, in RFC 7986's words and in the ones Outlook and Apple read.
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    events = {str(event["UID"]): event for event in calendar.events}
    assert set(events) == {f"todo-{report.pk}@testserver", f"todo-{call.pk}@testserver"}
    event = events[f"todo-{report.pk}@testserver"]
    assert str(event["SUMMARY"]) == "Write the report"
    assert str(event["DESCRIPTION"]) == "Two pages"
    assert str(event["URL"]) == f"https://testserver/todos/{report.pk}/edit/"
    assert event.decoded("DTSTART") == datetime.date(2030, 1, 31)
    assert event["DTSTART"].params["VALUE"] == "DATE"  # an all-day event
    assert event.decoded("DTEND") == datetime.date(2030, 2, 1)
    assert event.decoded("DTSTAMP") == report.updated_at.replace(microsecond=0)
    assert str(event["TRANSP"]) == "TRANSPARENT"
    other = events[f"todo-{call.pk}@testserver"]
    assert str(other["SUMMARY"]) == "Call; the bank, now"  # escaped and read back
    assert "DESCRIPTION" not in other


def test_the_uid_of_a_todo_stays_when_it_changes(auth_client, user):
    todo = TodoFactory.create(owner=user, due_date=datetime.date(2030, 1, 1))
    path = feed_path(auth_client.post(FEED_API).json()["url"])
    [before] = parse(calendar_client().get(path)).events

    auth_client.patch(f"/api/v1/todos/{todo.pk}/", {"title": "Renamed", "due_date": "2030-02-02"})

    [after] = parse(calendar_client().get(path)).events
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["SUMMARY"]) == "Renamed"
    assert after.decoded("DTSTART") == datetime.date(2030, 2, 2)


def test_a_wrong_or_malformed_secret_is_the_same_404(auth_client):
    real = auth_client.post(FEED_API).json()["url"]
    secret = secret_of(real)
    client = calendar_client()

    answers = [
        client.get(path)
        for path in (
            f"/calendar/{'A' * 43}.ics",
            f"/calendar/{secret[:-1]}.ics",
            "/calendar/x.ics",
            f"/calendar/{secret}%00.ics",
        )
    ]

    assert {response.status_code for response in answers} == {404}
    assert len({response.content for response in answers}) == 1


def test_the_feed_needs_no_session_or_token_and_ignores_them(auth_client, user, other_client):
    TodoFactory.create(owner=user, title="Mine", due_date=datetime.date(2030, 1, 1))
    path = feed_path(auth_client.post(FEED_API).json()["url"])

    # Whoever asks, the feed is its owner's.
    [event] = parse(other_client.get(path)).events
    assert str(event["SUMMARY"]) == "Mine"


# --- Polling: validators, 304, throttle, cost ---------------------------------------


def test_strong_etag_and_last_modified_and_a_304_when_nothing_changed(auth_client, user):
    TodoFactory.create(owner=user, due_date=datetime.date(2030, 1, 1))
    path = feed_path(auth_client.post(FEED_API).json()["url"])
    client = calendar_client()

    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)  # strong: no W/
    assert first["Cache-Control"] == "private, no-cache"

    by_etag = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag

    by_date = client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304

    again = client.get(path)
    assert (again["ETag"], again["Last-Modified"]) == (etag, last_modified)
    assert again.content == first.content


def test_a_change_gives_a_new_etag_and_a_later_last_modified(auth_client, user):
    todo = TodoFactory.create(owner=user, due_date=datetime.date(2030, 1, 1))
    path = feed_path(auth_client.post(FEED_API).json()["url"])
    client = calendar_client()
    first = client.get(path)

    todo.delete()  # a deleted todo leaves the feed: no todo's own date could show it

    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert parse(changed).events == []
    # Later, even within the same second: HTTP dates count whole seconds.
    assert changed["Last-Modified"] != first["Last-Modified"]
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_each_feed_has_its_own_throttle(auth_client, other_client):
    mine = feed_path(auth_client.post(FEED_API).json()["url"])
    theirs = feed_path(other_client.post(FEED_API).json()["url"])
    client = calendar_client()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "calendar": "3/min"}

    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        statuses = [client.get(mine).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        throttled = client.get(mine)
        assert int(throttled["Retry-After"]) > 0
        assert client.get(theirs).status_code == 200


def test_the_feed_is_bounded_from_90_days_ago_the_earliest_first_up_to_the_cap(
    auth_client, user, settings, django_assert_num_queries
):
    """A person with 100,000 dated todos gets a document of at most the cap, in two queries."""
    assert (settings.CALENDAR_FEED_PAST_DAYS, settings.CALENDAR_FEED_MAX_EVENTS) == (90, 1000)
    settings.CALENDAR_FEED_MAX_EVENTS = 3
    today = timezone.now().date()  # the person's zone is UTC

    def due_in(days: int) -> str:
        todo = TodoFactory.create(owner=user, due_date=today + datetime.timedelta(days=days))
        return f"todo-{todo.pk}@testserver"

    due_in(-91)
    shown = [due_in(-90), due_in(0), due_in(1)]
    due_in(2)  # beyond the cap
    TodoFactory.create_batch(20, owner=user, due_date=today + datetime.timedelta(days=3))
    path = feed_path(auth_client.post(FEED_API).json()["url"])
    client = calendar_client()
    client.get(path)  # the first document: its Last-Modified is written

    with django_assert_num_queries(2):  # the feed with its owner, the todos
        calendar = parse(client.get(path))

    assert [str(event["UID"]) for event in calendar.events] == shown


def test_the_feed_costs_the_same_queries_for_1_or_40_todos(
    auth_client, user, django_assert_num_queries
):
    path = feed_path(auth_client.post(FEED_API).json()["url"])
    client = calendar_client()
    TodoFactory.create(owner=user, due_date=datetime.date(2030, 1, 1))
    client.get(path)  # the first document: its Last-Modified is written
    with django_assert_num_queries(2):  # the feed with its owner, the todos
        assert len(parse(client.get(path)).events) == 1

    TodoFactory.create_batch(39, owner=user, due_date=datetime.date(2030, 1, 2))

    with django_assert_num_queries(3):  # and one UPDATE: the document changed
        assert len(parse(client.get(path)).events) == 40
    with django_assert_num_queries(2):
        assert len(parse(client.get(path)).events) == 40


def test_the_access_log_masks_the_secret(auth_client, caplog):
    url = auth_client.post(FEED_API).json()["url"]
    secret = secret_of(url)

    with caplog.at_level("INFO", logger="config.access"):
        calendar_client().get(feed_path(url))
        calendar_client().get(f"/calendar/{'B' * 43}.ics")

    lines = [r.getMessage() for r in caplog.records if r.name == "config.access"]
    assert [line.rsplit(" ", 1)[0] for line in lines[-2:]] == [
        "GET /calendar/***.ics 200",
        "GET /calendar/***.ics 404",
    ]
    assert secret not in caplog.text


# --- The profile page -------------------------------------------------------------


def test_profile_turns_the_feed_on_resets_it_and_turns_it_off(signed_in, user):
    page = signed_in.get(PROFILE).content.decode()
    assert "Turn on" in page
    assert "calendar-feed-url" not in page

    assert signed_in.post("/accounts/profile/calendar/on/").status_code == 302
    page = signed_in.get(PROFILE).content.decode()
    url = address_on(page)
    assert FEED_URL.match(url)
    assert '<button type="button" data-copy="calendar-feed-url" hidden>Copy</button>' in page
    assert "Your calendar feed is on." in page
    assert calendar_client().get(feed_path(url)).status_code == 200

    signed_in.post("/accounts/profile/calendar/on/")  # Reset
    page = signed_in.get(PROFILE).content.decode()
    new = address_on(page)
    assert new != url
    assert "the old one no longer works" in page
    assert calendar_client().get(feed_path(url)).status_code == 404

    signed_in.post("/accounts/profile/calendar/off/")
    page = signed_in.get(PROFILE).content.decode()
    assert "Turn on" in page
    assert calendar_client().get(feed_path(new)).status_code == 404


def test_the_profile_page_keeps_its_strict_policy(signed_in):
    signed_in.post("/accounts/profile/calendar/on/")

    response = signed_in.get(PROFILE)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # no inline script
    assert re.findall(r"<[^>]+\son[a-z]+=", page) == []  # no inline event handler


@pytest.mark.parametrize(
    "path", ["/accounts/profile/calendar/on/", "/accounts/profile/calendar/off/"]
)
def test_the_profile_buttons_need_a_session_and_a_post(browser, signed_in, path):
    assert browser.post(path).status_code == 302
    assert browser.post(path)["Location"].startswith("/accounts/login/")
    assert signed_in.get(path).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_profile_buttons_need_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)

    assert client.post("/accounts/profile/calendar/on/").status_code == 403
    assert not CalendarFeed.objects.exists()


def test_an_inactive_accounts_feed_is_a_404(auth_client, user):
    path = feed_path(auth_client.post(FEED_API).json()["url"])
    user.is_active = False
    user.save()

    assert calendar_client().get(path).status_code == 404
