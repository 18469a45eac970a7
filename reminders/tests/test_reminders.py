"""
The daily reminder mail: passes of ``manage.py send_reminders --now`` (and of
its service, for sweeps over days) across time zones and daylight-saving
changes, the mail itself, and its unsubscribe link.
"""

import datetime
import io
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from accounts.tests.utils import ME
from reminders.models import ReminderSchedule
from reminders.services import reminder_schedule_sync, reminders_send_due
from reminders.tests.factories import RemindedUserFactory
from reminders.tokens import unsubscribe_token
from tests.clients import make_client
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OVERDUE = datetime.date(2026, 1, 15)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def mails_of(capture_on_commit, one_pass: Callable[[], object]) -> list:
    """The mails ``one_pass()`` sent, its on-commit tasks run (eagerly) when it ends."""
    sent_before = len(mail.outbox)
    with capture_on_commit(execute=True):
        one_pass()
    return mail.outbox[sent_before:]


@pytest.fixture
def run_pass(django_capture_on_commit_callbacks) -> Callable[[datetime.datetime], list]:
    """One pass at ``now`` as an operator runs it; the mails it sent."""
    return lambda now: mails_of(
        django_capture_on_commit_callbacks,
        lambda: call_command("send_reminders", now=now.isoformat(), stdout=io.StringIO()),
    )


@pytest.fixture
def service_pass(django_capture_on_commit_callbacks) -> Callable[[datetime.datetime], list]:
    """
    ``run_pass`` without the command around the service: half the cost, for
    the sweeps' thousands of passes (the command's own tests use ``run_pass``).
    """
    return lambda now: mails_of(
        django_capture_on_commit_callbacks, lambda: reminders_send_due(now=now)
    )


def passes(service_pass, *, start: datetime.datetime, end: datetime.datetime, minutes: int = 5):
    """Passes every few minutes from ``start`` to ``end``, as beat sends them; (when, mail)."""
    sent = []
    now = start
    while now < end:
        sent += [(now, message) for message in service_pass(now)]
        now += datetime.timedelta(minutes=minutes)
    return sent


def test_each_person_is_mailed_at_their_own_local_time(run_pass, service_pass):
    start = at("2026-06-09T12:00Z")
    zones = ("Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC")
    people = {zone: RemindedUserFactory.create(time_zone=zone, schedule=start) for zone in zones}
    for person in people.values():
        TodoFactory.create(owner=person, due_date=OVERDUE)
    # Set at noon UTC: 08:00 on 9 June has come everywhere, so everyone's first mail is now.
    assert len(run_pass(start)) == 4

    sent = passes(
        service_pass, start=start + datetime.timedelta(minutes=5), end=at("2026-06-10T12:05Z")
    )

    # 08:00 on 10 June: 23:00 UTC the day before in Tokyo, 06:00 UTC in Paris
    # (CEST), 08:00 UTC, and 12:00 UTC in New York (EDT).
    assert [(when, message.to) for when, message in sent] == [
        (at("2026-06-09T23:00Z"), [people["Asia/Tokyo"].email]),
        (at("2026-06-10T06:00Z"), [people["Europe/Paris"].email]),
        (at("2026-06-10T08:00Z"), [people["UTC"].email]),
        (at("2026-06-10T12:00Z"), [people["America/New_York"].email]),
    ]


@pytest.mark.parametrize(
    ("zone", "reminder", "change_day", "instant_that_day"),
    [
        # Spring forward: 02:30 does not exist in Paris on 29 March; the mail
        # goes just after the change, at 03:30 CEST (01:30 UTC).
        ("Europe/Paris", "02:30", "2026-03-29", "2026-03-29T01:30Z"),
        # Fall back: 02:30 happens twice in Paris on 25 October; the first one.
        ("Europe/Paris", "02:30", "2026-10-25", "2026-10-25T00:30Z"),
        # The same in New York, whose changes fall on other days.
        ("America/New_York", "02:15", "2026-03-08", "2026-03-08T07:15Z"),
        ("America/New_York", "01:30", "2026-11-01", "2026-11-01T05:30Z"),
        # An ordinary time on a change day moves with the clock.
        ("Europe/Paris", "09:00", "2026-03-29", "2026-03-29T07:00Z"),
    ],
)
def test_a_daylight_saving_change_neither_skips_nor_doubles_a_mail(
    service_pass, zone, reminder, change_day, instant_that_day
):
    day = datetime.date.fromisoformat(change_day)
    start = datetime.datetime.combine(day - datetime.timedelta(days=2), datetime.time(), UTC)
    user = RemindedUserFactory.create(
        time_zone=zone, reminder_time=datetime.time.fromisoformat(reminder), schedule=start
    )
    TodoFactory.create(owner=user, due_date=OVERDUE)

    sent = passes(service_pass, start=start, end=start + datetime.timedelta(days=4))

    local_days = [when.astimezone(ZoneInfo(zone)).date() for when, _ in sent]
    assert local_days == sorted(set(local_days)), "two mails on one local day"
    expected = [day + datetime.timedelta(days=offset) for offset in (-2, -1, 0, 1)]
    assert [d for d in local_days if d in expected] == expected, "a day without its mail"
    assert at(instant_that_day) in [when for when, _ in sent]


def test_the_mail_lists_open_todos_due_today_and_overdue_with_their_links(run_pass):
    user = RemindedUserFactory.create(name="Ada", time_zone="Europe/Paris")
    today = TodoFactory.create(
        owner=user, title="Pay <rent> & bills", due_date=datetime.date(2026, 5, 4)
    )
    late = TodoFactory.create(owner=user, title="Call the bank", due_date=datetime.date(2026, 5, 1))
    TodoFactory.create(owner=user, title="Tomorrow's", due_date=datetime.date(2026, 5, 5))
    TodoFactory.create(
        owner=user, title="Done already", due_date=datetime.date(2026, 5, 1), done=True
    )
    TodoFactory.create(owner=user, title="Whenever", due_date=None)
    TodoFactory.create(title="Somebody else's", due_date=datetime.date(2026, 5, 1))

    [message] = run_pass(at("2026-05-04T06:05Z"))  # 08:05 in Paris

    assert message.to == [user.email]
    assert message.subject == "2 todos due today or overdue"
    body = message.body
    assert "Hello Ada," in body
    assert "Monday 4 May 2026" in body
    assert re.findall(r"^- (.*)$", body, re.M) == [
        "Call the bank (due 1 May, overdue)",
        "Pay <rent> & bills (due today)",
    ]
    assert f"http://127.0.0.1:8000/todos/{late.pk}/edit/" in body
    assert f"http://127.0.0.1:8000/todos/{today.pk}/edit/" in body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Pay &lt;rent&gt; &amp; bills" in html
    assert f'href="http://127.0.0.1:8000/todos/{today.pk}/edit/"' in html
    token = unsubscribe_token(user=user)
    link = f"http://127.0.0.1:8000/reminders/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in body
    assert f'href="{link}"' in html


def test_a_long_list_is_cut_with_a_link_to_the_rest(run_pass):
    user = RemindedUserFactory.create()
    TodoFactory.create_batch(51, owner=user, due_date=OVERDUE)

    [message] = run_pass(at("2026-05-04T08:00Z"))

    assert message.subject == "50+ todos due today or overdue"
    assert len(re.findall(r"^- ", message.body, re.M)) == 50
    assert "And more: http://127.0.0.1:8000/todos/?done=false&ordering=due_date" in message.body


def test_nothing_is_sent_on_a_day_with_nothing_due_and_the_day_still_counts(run_pass):
    user = RemindedUserFactory.create()
    TodoFactory.create(owner=user, due_date=datetime.date(2026, 5, 5))

    assert run_pass(at("2026-05-04T08:00Z")) == []
    assert ReminderSchedule.objects.get(user=user).due_at == at("2026-05-05T08:00Z")
    assert [m.to for m in run_pass(at("2026-05-05T08:00Z"))] == [[user.email]]


def test_a_pass_before_the_time_sends_nothing_and_a_second_pass_after_it_nothing_more(run_pass):
    user = RemindedUserFactory.create(
        reminder_time=datetime.time(9, 30), schedule=at("2026-05-04T00:00Z")
    )
    TodoFactory.create(owner=user, due_date=OVERDUE)

    assert run_pass(at("2026-05-04T09:29Z")) == []
    assert len(run_pass(at("2026-05-04T09:30Z"))) == 1
    assert run_pass(at("2026-05-04T09:30Z")) == []
    assert run_pass(at("2026-05-04T23:59Z")) == []


def test_a_later_time_set_after_todays_mail_waits_for_tomorrow(run_pass):
    """Never a second mail on a day that had one, whatever the person sets in between."""
    user = RemindedUserFactory.create(
        reminder_time=datetime.time(7), schedule=at("2026-05-04T00:00Z")
    )
    TodoFactory.create(owner=user, due_date=OVERDUE)
    assert len(run_pass(at("2026-05-04T07:00Z"))) == 1

    user.reminder_time = datetime.time(23, 59)
    user.save()
    reminder_schedule_sync(user=user, now=at("2026-05-04T08:00Z"))

    assert ReminderSchedule.objects.get(user=user).due_at == at("2026-05-05T23:59Z")
    assert run_pass(at("2026-05-04T23:59Z")) == []
    assert len(run_pass(at("2026-05-05T23:59Z"))) == 1


def test_a_time_set_for_later_today_mails_today(run_pass):
    user = RemindedUserFactory.create(
        schedule=at("2026-05-04T10:00Z"), reminder_time=datetime.time(11)
    )
    TodoFactory.create(owner=user, due_date=OVERDUE)

    assert ReminderSchedule.objects.get(user=user).due_at == at("2026-05-04T11:00Z")
    assert len(run_pass(at("2026-05-04T11:00Z"))) == 1


def test_a_time_already_past_today_mails_at_the_next_pass(run_pass):
    user = RemindedUserFactory.create(
        schedule=at("2026-05-04T10:00Z"), reminder_time=datetime.time(7)
    )
    TodoFactory.create(owner=user, due_date=OVERDUE)

    assert len(run_pass(at("2026-05-04T10:05Z"))) == 1
    assert run_pass(at("2026-05-05T06:55Z")) == []
    assert len(run_pass(at("2026-05-05T07:00Z"))) == 1


def test_reminders_are_on_only_with_a_time(auth_client, user):
    auth_client.patch(ME, {"reminder_time": "08:15", "time_zone": "Asia/Kolkata"})
    schedule = ReminderSchedule.objects.get(user=user)
    assert schedule.due_at.astimezone(ZoneInfo("Asia/Kolkata")).time() == datetime.time(8, 15)

    auth_client.patch(ME, {"time_zone": "Europe/Paris"})
    schedule.refresh_from_db()
    assert schedule.due_at.astimezone(ZoneInfo("Europe/Paris")).time() == datetime.time(8, 15)

    auth_client.patch(ME, {"reminder_time": None})
    assert not ReminderSchedule.objects.filter(user=user).exists()


def test_the_schedule_goes_with_the_account():
    user = RemindedUserFactory.create()

    user.delete()

    assert not ReminderSchedule.objects.exists()


def test_no_mail_to_a_deactivated_account(run_pass):
    user = RemindedUserFactory.create(is_active=False)
    TodoFactory.create(owner=user, due_date=OVERDUE)

    assert run_pass(at("2026-05-04T08:00Z")) == []
    # Claimed all the same: a pass does not read it again until tomorrow.
    assert ReminderSchedule.objects.get(user=user).due_at == at("2026-05-05T08:00Z")


def test_a_redelivered_mail_task_mails_once(django_capture_on_commit_callbacks):
    from reminders.tasks import send_reminder

    user = RemindedUserFactory.create()
    TodoFactory.create(owner=user, due_date=OVERDUE)

    send_reminder.apply(kwargs={"user_id": user.pk, "day": "2026-05-04"})
    send_reminder.apply(kwargs={"user_id": user.pk, "day": "2026-05-04"})

    assert len(mail.outbox) == 1


def test_the_beat_task_runs_a_pass_on_the_real_clock(django_capture_on_commit_callbacks):
    from django.conf import settings

    from reminders.tasks import send_due_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["reminders"]
    assert entry["task"] == send_due_reminders.name
    assert str(entry["schedule"]) == "<crontab: */5 * * * * (m/h/dM/MY/d)>"
    user = RemindedUserFactory.create()  # due since 1 January 2026 08:00 UTC
    TodoFactory.create(owner=user, due_date=datetime.date(2000, 1, 1))

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.apply()

    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.parametrize(
    ("now", "error"),
    [("yesterday", "not an ISO 8601 date-time"), ("2026-05-04T08:00", "needs a UTC offset")],
)
def test_send_reminders_refuses_a_bad_clock(now, error):
    with pytest.raises(CommandError, match=error):
        call_command("send_reminders", now=now)


def test_a_pass_reads_the_due_ones_only(run_pass):
    """The same queries whatever the number of people not due: none is read one by one."""

    def queries_of_a_pass(now: datetime.datetime) -> int:
        with CaptureQueriesContext(connection) as queries:
            run_pass(now)
        return len(queries)

    def people(count: int, hour: int, minute: int = 0, *, due: bool) -> None:
        for user in RemindedUserFactory.create_batch(
            count, reminder_time=datetime.time(hour, minute), schedule=at("2026-05-04T00:00Z")
        ):
            if due:
                TodoFactory.create(owner=user, due_date=OVERDUE)

    people(3, 7, due=True)
    people(5, 9, due=False)
    few = queries_of_a_pass(at("2026-05-04T07:00Z"))

    people(3, 7, 30, due=True)
    people(40, 9, due=False)
    many = queries_of_a_pass(at("2026-05-04T07:30Z"))

    assert few == many
    assert queries_of_a_pass(at("2026-05-04T07:45Z")) == 1  # nobody due: one index read


# --- Unsubscribe ---------------------------------------------------------------------


def unsubscribe_path(user) -> str:
    return f"/reminders/unsubscribe/{unsubscribe_token(user=user)}/"


def test_the_unsubscribe_link_asks_first(browser):
    user = RemindedUserFactory.create()

    response = browser.get(unsubscribe_path(user))

    assert response.status_code == 200
    page = response.content.decode()
    assert user.email in page
    assert "Turn reminders off" in page
    assert "csrfmiddlewaretoken" not in page
    assert "no-store" in response["Cache-Control"]
    user.refresh_from_db()
    assert user.reminder_time is not None


def test_the_unsubscribe_button_turns_reminders_off_without_signing_in(browser, run_pass):
    user = RemindedUserFactory.create()
    TodoFactory.create(owner=user, due_date=OVERDUE)
    browser = type(browser)(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")

    response = browser.post(unsubscribe_path(user))

    assert response.status_code == 200
    assert "Reminders are off" in response.content.decode()
    user.refresh_from_db()
    assert user.reminder_time is None
    assert not ReminderSchedule.objects.filter(user=user).exists()
    assert run_pass(at("2026-05-04T08:00Z")) == []


def test_a_mail_clients_one_click_post_turns_reminders_off(browser):
    """RFC 8058: a POST to the List-Unsubscribe address with List-Unsubscribe=One-Click."""
    user = RemindedUserFactory.create()
    client = type(browser)(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")

    response = client.post(
        unsubscribe_path(user),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.reminder_time is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_mangled_unsubscribe_link_is_a_404(browser, method):
    user = RemindedUserFactory.create()
    token = unsubscribe_token(user=user)
    other = UserFactory.create()
    # Another account's id, under this link's signature.
    payload = signing.b64_encode(f'{{"user":{other.pk}}}'.encode()).decode()
    forged = f"{payload}:{token.rsplit(':', 1)[1]}"

    for path in (
        f"/reminders/unsubscribe/{token[:-2]}xx/",
        f"/reminders/unsubscribe/{forged}/",
        "/reminders/unsubscribe/nonsense/",
    ):
        assert getattr(browser, method)(path).status_code == 404

    user.refresh_from_db()
    assert user.reminder_time is not None


def test_an_api_client_can_turn_reminders_back_on_after_unsubscribing(browser):
    user = RemindedUserFactory.create()
    browser.post(unsubscribe_path(user))

    response = make_client(user).patch(ME, {"reminder_time": "06:00"})

    assert response.json()["reminder_time"] == "06:00"
    assert ReminderSchedule.objects.filter(user=user).exists()


def test_the_access_log_masks_the_unsubscribe_link(browser, caplog):
    user = RemindedUserFactory.create()
    token = unsubscribe_token(user=user)

    with caplog.at_level("INFO", logger="config.access"):
        browser.get(f"/reminders/unsubscribe/{token}/")

    [line] = [r for r in caplog.records if r.name == "config.access"]
    assert line.getMessage().startswith("GET /reminders/unsubscribe/***/ 200")
    assert line.path == "/reminders/unsubscribe/***/"
    assert token.split(":")[-1] not in caplog.text
