"""The iCalendar document (RFC 5545) of a feed, made with the ``icalendar`` library."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from icalendar import Calendar, Event, vDuration

from accounts.models import User
from todos.models import Todo

PRODUCT_ID = "-//Todo//Calendar feed//EN"
# How often calendar clients are asked to poll (RFC 7986, and Outlook's and Apple's own).
REFRESH = datetime.timedelta(hours=1)


def feed_document(*, user: User, todos: Iterable[Todo], origin: str, host: str) -> bytes:
    """
    One all-day event per todo, on its due date: ``UID`` stable per todo and
    host, ``SUMMARY`` the title, ``DESCRIPTION``, ``URL`` to its page, and
    ``DTSTAMP`` and ``LAST-MODIFIED`` its last change, so the document only
    changes when a todo does (with no ``METHOD``, RFC 5545 makes ``DTSTAMP``
    the last revision). The calendar carries its name and the person's time
    zone. Marked transparent: a todo does not make its day busy. ``origin``
    (scheme and host) starts the todos' addresses.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"Todos of {user.name or user.email}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", user.time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property is text to the library: given as a duration, it is written as one.
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for todo in todos:
        assert todo.due_date is not None  # the selector's filter
        event = Event()
        event.add("uid", f"todo-{todo.pk}@{host}")
        event.add("summary", todo.title)
        if todo.description:
            event.add("description", todo.description)
        event.add("url", origin + reverse("todos_web:edit", kwargs={"pk": todo.pk}))
        event.add("dtstart", todo.due_date)
        event.add("dtend", todo.due_date + datetime.timedelta(days=1))
        event.add("dtstamp", todo.updated_at)
        event.add("last-modified", todo.updated_at)
        event.add("created", todo.created_at)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    document: bytes = calendar.to_ical()
    return document
