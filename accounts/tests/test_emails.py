"""The mails accounts sends, from templates/email/: a text part and an escaped HTML part."""

import pytest
from django.test import override_settings

from accounts import emails
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TYPED_NAME = '<img src=x onerror="alert(1)"> & Co'


def html_part(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_reset_mail_has_a_text_and_an_html_part(mailoutbox):
    user = UserFactory.create(name="Ada")

    assert emails.password_reset_email_send(email=user.email) is True

    (message,) = mailoutbox
    assert message.subject == "Reset your password"
    assert message.to == [user.email]
    assert message.body.startswith("Hello Ada,\n")
    assert "POST /api/v1/auth/password/reset/confirm/" in message.body
    html = html_part(message)
    assert html.startswith("<!doctype html>")
    assert "<p>Hello Ada,</p>" in html
    assert "<code>POST /api/v1/auth/password/reset/confirm/</code>" in html


def test_the_html_part_escapes_what_people_typed_the_text_part_does_not(mailoutbox):
    user = UserFactory.create(name=TYPED_NAME)

    emails.password_reset_email_send(email=user.email)

    (message,) = mailoutbox
    assert f"Hello {TYPED_NAME}," in message.body
    html = html_part(message)
    assert "<img" not in html
    assert "Hello &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co," in html


def test_a_link_is_escaped_in_html_and_kept_as_is_in_text(mailoutbox):
    user = UserFactory.create()
    link = 'https://app.example.com/reset?u={uid}&t={token}&x="><script>'

    with override_settings(PASSWORD_RESET_URL=link):
        emails.password_reset_email_send(email=user.email)

    (message,) = mailoutbox
    assert "&t=" in message.body
    assert '"><script>' in message.body
    html = html_part(message)
    assert "<script>" not in html
    assert '&amp;x=&quot;&gt;&lt;script&gt;"' in html
    assert "uid:" not in message.body


def test_a_name_left_empty_gets_no_greeting(mailoutbox):
    user = UserFactory.create(name="")

    emails.password_reset_email_send(email=user.email)

    assert mailoutbox[0].body.startswith("Someone asked")
    assert "Hello" not in html_part(mailoutbox[0])
