"""Password reset by email: password/reset/ and password/reset/confirm/."""

import logging
import re

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.utils import (
    NEW_PASSWORD,
    PASSWORD_RESET,
    PASSWORD_RESET_CONFIRM,
    TOKEN,
    login,
    me_status,
    post_reset,
    refresh_status,
)

pytestmark = pytest.mark.django_db

ACCEPTED = {"detail": "If the address has an account, a reset email is on its way."}


class UnreachableSMTPBackend(BaseEmailBackend):
    """Stands in for a mail server that refuses the connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def reset_values(message) -> tuple[str, str]:
    """The uid and token a reset email carries."""
    uid = re.search(r"^uid: (\S+)$", message.body, re.MULTILINE)
    token = re.search(r"^token: (\S+)$", message.body, re.MULTILINE)
    assert uid, message.body
    assert token, message.body
    return uid.group(1), token.group(1)


def request_reset(client, email: str, mailoutbox) -> tuple[str, str]:
    assert post_reset(client, {"email": email}).status_code == 202
    return reset_values(mailoutbox[-1])


# --- password/reset/ --------------------------------------------------------


@pytest.mark.parametrize("path", [PASSWORD_RESET, PASSWORD_RESET.rstrip("/")])
def test_reset_mails_an_existing_user(api_client, user, mailoutbox, path):
    response = post_reset(api_client, {"email": user.email}, path)

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [user.email]
    assert message.subject == "Reset your password"
    uid, token = reset_values(message)
    assert uid == urlsafe_base64_encode(force_bytes(user.pk))
    assert token


def test_reset_finds_the_user_whatever_the_case(api_client, mailoutbox):
    UserFactory.create(email="ada@example.com")

    response = post_reset(api_client, {"email": " ADA@Example.com "})

    assert response.status_code == 202
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]


def test_reset_answers_the_same_for_an_unknown_address(api_client, user, mailoutbox):
    known = post_reset(api_client, {"email": user.email})
    unknown = post_reset(api_client, {"email": "nobody@example.com"})

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert unknown.status_code == 202
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_reset_mails_nobody_for_an_inactive_user(api_client, mailoutbox):
    inactive = UserFactory.create(is_active=False)

    response = post_reset(api_client, {"email": inactive.email})

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert mailoutbox == []


def test_reset_mails_nobody_without_a_usable_password(api_client, mailoutbox):
    user = UserFactory.create()
    user.set_unusable_password()
    user.save(update_fields=["password"])

    response = post_reset(api_client, {"email": user.email})

    assert response.status_code == 202
    assert mailoutbox == []


def test_reset_mail_carries_the_configured_link(api_client, user, mailoutbox):
    with override_settings(PASSWORD_RESET_URL="https://app.example.com/reset?u={uid}&t={token}"):
        post_reset(api_client, {"email": user.email})

    match = re.search(r"https://app\.example\.com/reset\?u=(\S+)&t=(\S+)", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    uid, token = match.groups()
    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 204


@pytest.mark.parametrize(
    "template",
    [
        "https://app.example.com/{lang}/reset?uid={uid}&token={token}",
        "https://app.example.com/reset/{0}/{uid}/{token}",
    ],
)
def test_a_reset_link_with_other_braces_keeps_them_and_still_answers_202(
    api_client, user, mailoutbox, template
):
    """The operator's link is filled in, never a format string that can raise for real accounts."""
    with override_settings(PASSWORD_RESET_URL=template):
        known = post_reset(api_client, {"email": user.email})
        unknown = post_reset(api_client, {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    (message,) = mailoutbox
    link = template.replace("{uid}", uid)
    assert link.split("{token}")[0] in message.body
    assert "{token}" not in message.body


def test_a_failed_send_is_logged_and_never_changes_the_answer(api_client, user, caplog):
    backend = f"{__name__}.{UnreachableSMTPBackend.__name__}"

    with override_settings(EMAIL_BACKEND=backend), caplog.at_level(logging.ERROR):
        response = post_reset(api_client, {"email": user.email})

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    # Run eagerly (no broker, no worker to retry later) the task fails at once.
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "celery.app.trace"
    assert "Gave up sending accounts.tasks.send_password_reset_email" in record.getMessage()
    assert user.email not in record.getMessage()
    assert type(record.exc_info[1].__cause__) is ConnectionRefusedError


@pytest.mark.parametrize(
    "body", [{}, {"email": "not-an-email"}, {"email": 42}, {"email": ["a@example.com"]}]
)
def test_reset_refuses_a_malformed_address(api_client, mailoutbox, body):
    response = post_reset(api_client, body)

    assert response.status_code == 400
    assert "email" in response.json()
    assert mailoutbox == []


# --- password/reset/confirm/ ------------------------------------------------


@pytest.mark.parametrize("path", [PASSWORD_RESET_CONFIRM, PASSWORD_RESET_CONFIRM.rstrip("/")])
def test_confirm_sets_the_new_password(api_client, user, mailoutbox, path):
    uid, token = request_reset(api_client, user.email, mailoutbox)

    response = api_client.post(path, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})

    assert response.status_code == 204
    assert response.content == b""
    assert login(api_client, user.email, NEW_PASSWORD)
    old = api_client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})
    assert old.status_code == 401


def test_confirm_token_works_only_once(api_client, user, mailoutbox):
    uid, token = request_reset(api_client, user.email, mailoutbox)
    body = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    assert api_client.post(PASSWORD_RESET_CONFIRM, body).status_code == 204

    again = api_client.post(
        PASSWORD_RESET_CONFIRM, {**body, "new_password": "yet-another-passphrase-2001"}
    )

    assert again.status_code == 400
    assert "token" in again.json()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_confirm_revokes_every_earlier_session(api_client, user, mailoutbox):
    pair = login(api_client, user.email)
    other_refresh = str(RefreshToken.for_user(user))
    uid, token = request_reset(api_client, user.email, mailoutbox)

    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 204
    assert me_status(pair["access"]) == 401
    assert refresh_status(pair["refresh"]) == 401
    assert refresh_status(other_refresh) == 401


def uid_of(value: object) -> str:
    return urlsafe_base64_encode(force_bytes(value))


@pytest.mark.parametrize(
    "uid",
    [
        "not base64!",
        "A",
        uid_of("abc"),
        uid_of(b"\xff\xfe"),
        uid_of(10**6),
        uid_of(10**30),
        uid_of(-1),
        "",
    ],
)
def test_confirm_refuses_a_bad_uid(api_client, user, mailoutbox, uid):
    _, token = request_reset(api_client, user.email, mailoutbox)

    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_confirm_refuses_another_users_uid(api_client, user, other_user, mailoutbox):
    _, token = request_reset(api_client, user.email, mailoutbox)

    response = api_client.post(
        PASSWORD_RESET_CONFIRM,
        {"uid": uid_of(other_user.pk), "token": token, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    other_user.refresh_from_db()
    assert other_user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize("token", ["garbage", "abc-123", "x" * 128, ""])
def test_confirm_refuses_a_bad_token(api_client, user, token):
    response = api_client.post(
        PASSWORD_RESET_CONFIRM,
        {"uid": uid_of(user.pk), "token": token, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert "token" in response.json()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_confirm_refuses_a_weak_password_and_keeps_the_link_valid(api_client, user, mailoutbox):
    uid, token = request_reset(api_client, user.email, mailoutbox)

    weak = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "password1"}
    )

    assert weak.status_code == 400
    assert list(weak.json()) == ["new_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    strong = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )
    assert strong.status_code == 204


def test_confirm_refuses_a_password_like_the_email(api_client, mailoutbox):
    user = UserFactory.create(email="jonathan.smithers@example.com")
    uid, token = request_reset(api_client, user.email, mailoutbox)

    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "jonathansmithers"}
    )

    assert response.status_code == 400
    assert "new_password" in response.json()


def test_confirm_refuses_a_user_deactivated_after_the_request(api_client, user, mailoutbox):
    uid, token = request_reset(api_client, user.email, mailoutbox)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_password_change_voids_an_outstanding_reset_link(api_client, user, mailoutbox):
    uid, token = request_reset(api_client, user.email, mailoutbox)
    user.set_password("changed-in-between-9876")
    user.save(update_fields=["password"])

    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400


@pytest.mark.parametrize("field", ["uid", "token", "new_password"])
@pytest.mark.parametrize("value", [None, 123, ["x"]])
def test_confirm_refuses_missing_or_non_string_fields(api_client, user, field, value):
    body = {"uid": uid_of(user.pk), "token": "t", "new_password": NEW_PASSWORD, field: value}

    response = api_client.post(PASSWORD_RESET_CONFIRM, body)

    assert response.status_code == 400
    assert field in response.json()


def test_confirm_requires_all_fields(api_client):
    response = api_client.post(PASSWORD_RESET_CONFIRM, {})

    assert response.status_code == 400
    assert set(response.json()) == {"uid", "token", "new_password"}
