"""Which paths carry a key, and how every log, Sentry and gunicorn show them."""

import pytest
from django.urls import reverse

from core.paths import mask_secret_paths


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("/calendar/s3cr3t.ics", "/calendar/***.ics"),
        ("/calendar/s3cr3t", "/calendar/***"),
        ("/reminders/unsubscribe/eyJ1c2VyIjoxfQ:sig/", "/reminders/unsubscribe/***/"),
        ("/accounts/verify/eyJ.x:1vX:sig/", "/accounts/verify/***/"),
        ("/accounts/password/reset/MQ/cw2-0a1b/", "/accounts/password/reset/MQ/***/"),
        # In a sentence, a request line, a request's text, a URL.
        ("Internal Server Error: /calendar/s.ics", "Internal Server Error: /calendar/***.ics"),
        ("GET /calendar/s.ics?x=1 HTTP/1.1", "GET /calendar/***.ics?x=1 HTTP/1.1"),
        ("<WSGIRequest: GET '/calendar/s.ics'>", "<WSGIRequest: GET '/calendar/***.ics'>"),
        ("https://todo.example.com/calendar/s.ics", "https://todo.example.com/calendar/***.ics"),
    ],
)
def test_a_key_in_a_path_is_masked(text, masked):
    assert mask_secret_paths(text) == masked


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/profile/calendar/on/",
        "/accounts/verify/resend/",
        "/accounts/password/reset/MQ/set-password/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/complete/",
        "/api/v1/auth/calendar-feed/",
        "/todos/1/edit/",
    ],
)
def test_other_paths_are_left_as_they_are(path):
    assert mask_secret_paths(path) == path


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("calendar-feed", {"secret": "KEY"}),
        ("reminders_web:unsubscribe", {"token": "KEY"}),
        ("accounts_web:verify-email", {"token": "KEY"}),
        ("accounts_web:password-reset-confirm", {"uidb64": "MQ", "token": "KEY"}),
    ],
)
def test_every_route_whose_path_is_a_key_is_masked(name, kwargs):
    assert "KEY" not in mask_secret_paths(reverse(name, kwargs=kwargs))
