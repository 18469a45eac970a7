import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from lists.models import Invitation, Membership, Role
from lists.selectors import VERIFY_FIRST
from lists.tests.factories import ListFactory, share
from tests.clients import make_client

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/invitations/"


def invite(client, list_, email, role="editor", **headers):
    """Invite, and run what the request queued for after its commit (the mail task)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/api/v1/lists/{list_.id}/invitations/", {"email": email, "role": role}, **headers
        )


@pytest.fixture
def groceries(user):
    return ListFactory.create(owner=user, name="Groceries <b>&</b>")


@pytest.fixture
def invitee():
    return UserFactory.create(email="friend@example.com", email_verified=True)


def test_an_invitation_is_accepted_with_the_same_body_for_any_address(auth_client, groceries):
    UserFactory.create(email="has-account@example.com")
    bodies = []
    for email in ("has-account@example.com", "no-account@example.com"):
        response = invite(auth_client, groceries, f"  {email.upper()} ")
        assert response.status_code == 202, response.content
        body = response.json()
        assert set(body) == {"id", "email", "role", "created_at", "expires_at"}
        assert body["email"] == email
        bodies.append({key: body[key] for key in ("role",)})
        expires = datetime.datetime.fromisoformat(body["expires_at"])
        created = datetime.datetime.fromisoformat(body["created_at"])
        assert datetime.timedelta(days=7) - (expires - created) < datetime.timedelta(seconds=1)
    assert bodies[0] == bodies[1]
    assert [message.to for message in mail.outbox] == [
        ["has-account@example.com"],
        ["no-account@example.com"],
    ]


def test_an_invitation_does_the_same_work_for_an_address_with_or_without_an_account(
    auth_client, groceries
):
    """
    The same statements, in the same order, whether or not the address has an
    account: nothing the request does (and so nothing its time could show)
    depends on it.
    """
    UserFactory.create(email="has-account@example.com")
    statements = []
    for email in ("has-account@example.com", "no-account@example.com"):
        with CaptureQueriesContext(connection) as context:
            assert invite(auth_client, groceries, email).status_code == 202
        statements.append(
            [query["sql"].replace(email, "ADDRESS") for query in context.captured_queries]
        )
    assert len(statements[0]) == len(statements[1])
    # Ids and times differ from one run to the next; the statements do not.
    shapes = [
        [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", sql) for sql in run] for run in statements
    ]
    assert shapes[0] == shapes[1]


def test_the_mail_says_who_shared_which_list_escaped_with_a_link(auth_client, user, groceries):
    invite(auth_client, groceries, "friend@example.com", role="viewer")
    (message,) = mail.outbox
    assert user.email in message.body
    assert "Groceries <b>&</b>" in message.body
    assert "Groceries <b>&</b>" in message.subject
    link = re.search(r"https://testserver(:\d+)?/invitations/", message.body)
    assert link is not None
    html, _ = message.alternatives[0]
    assert "Groceries &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "<b>&</b>" not in html
    assert f'href="{link[0]}"' in html


def test_the_invited_person_sees_accepts_and_then_sees_the_list(auth_client, groceries, invitee):
    invite(auth_client, groceries, "friend@example.com", role="viewer")
    friend = make_client(invitee)
    (pending,) = friend.get(INBOX).json()
    assert pending["list"] == {"id": groceries.id, "name": groceries.name}
    assert pending["role"] == "viewer"
    assert set(pending["invited_by"]) == {"email", "name"}
    accepted = friend.post(f"{INBOX}{pending['id']}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["id"] == groceries.id
    assert accepted.json()["role"] == "viewer"
    assert Membership.objects.get(list=groceries, user=invitee).role == Role.VIEWER
    assert friend.get(INBOX).json() == []
    assert friend.post(f"{INBOX}{pending['id']}/accept/").status_code == 404
    names = [row["name"] for row in friend.get("/api/v1/lists/").json()["results"]]
    assert groceries.name in names


def test_declining_removes_the_invitation(auth_client, groceries, invitee):
    invite(auth_client, groceries, "friend@example.com")
    friend = make_client(invitee)
    (pending,) = friend.get(INBOX).json()
    assert friend.post(f"{INBOX}{pending['id']}/decline/").status_code == 204
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(user=invitee).exclude(list__owner=invitee).exists()
    assert friend.post(f"{INBOX}{pending['id']}/accept/").status_code == 404


def test_an_unverified_account_is_told_to_verify_first(auth_client, groceries):
    invite(auth_client, groceries, "new@example.com")
    unverified = make_client(UserFactory.create(email="new@example.com", email_verified=False))
    invitation = Invitation.objects.get()
    for response in (
        unverified.get(INBOX),
        unverified.post(f"{INBOX}{invitation.id}/accept/"),
        unverified.post(f"{INBOX}{invitation.id}/decline/"),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == VERIFY_FIRST
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_invitation_to_someone_else_expired_or_revoked_is_404(
    auth_client, user, groceries, invitee
):
    invite(auth_client, groceries, "someone-else@example.com")
    elsewhere = Invitation.objects.get()
    friend = make_client(invitee)
    assert friend.post(f"{INBOX}{elsewhere.id}/accept/").status_code == 404
    assert friend.post(f"{INBOX}{elsewhere.id}/decline/").status_code == 404
    assert friend.get(INBOX).json() == []

    invite(auth_client, groceries, "friend@example.com")
    expired = Invitation.objects.get(email="friend@example.com")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert friend.get(INBOX).json() == []
    assert friend.post(f"{INBOX}{expired.id}/accept/").status_code == 404
    assert auth_client.get(f"/api/v1/lists/{groceries.id}/invitations/").json() == [
        {
            "id": elsewhere.id,
            "email": elsewhere.email,
            "role": "editor",
            "created_at": elsewhere.created_at.isoformat().replace("+00:00", "Z"),
            "expires_at": elsewhere.expires_at.isoformat().replace("+00:00", "Z"),
        }
    ]

    invite(auth_client, groceries, "friend@example.com")
    revoked = Invitation.objects.get(email="friend@example.com")
    url = f"/api/v1/lists/{groceries.id}/invitations/{revoked.id}/"
    assert auth_client.delete(url).status_code == 204
    assert auth_client.delete(url).status_code == 404
    assert friend.post(f"{INBOX}{revoked.id}/accept/").status_code == 404
    assert not Membership.objects.filter(list=groceries, user=invitee).exists()


def test_inviting_again_replaces_the_pending_invitation(auth_client, groceries):
    first = invite(auth_client, groceries, "friend@example.com", role="viewer").json()
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(hours=1))
    second = invite(auth_client, groceries, "friend@example.com", role="editor").json()
    (invitation,) = Invitation.objects.all()
    assert invitation.id == second["id"] != first["id"]
    assert invitation.role == Role.EDITOR
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    assert len(mail.outbox) == 2


def test_a_member_or_the_owner_cannot_be_invited(auth_client, user, groceries, invitee):
    share(groceries, invitee)
    for email in ("FRIEND@example.com", user.email):
        response = invite(auth_client, groceries, email)
        assert response.status_code == 400
        assert "email" in response.json()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_the_inbox_cannot_be_shared(auth_client, user):
    inbox = user.owned_lists.get(is_inbox=True)
    response = invite(auth_client, inbox, "friend@example.com")
    assert response.status_code == 400
    assert "inbox" in response.json()["detail"].lower()


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-address", "role": "editor"},
        {"email": "a@example.com", "role": "owner"},
        {"email": "a@example.com"},
        {"role": "viewer"},
    ],
)
def test_bad_invitations_are_400(auth_client, groceries, body):
    url = f"/api/v1/lists/{groceries.id}/invitations/"
    assert auth_client.post(url, body).status_code == 400


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_the_owner_invites_lists_and_revokes(auth_client, user, role):
    shared = ListFactory.create()
    share(shared, user, role)
    pending = shared.invitations.create(
        email="x@example.com",
        role=Role.VIEWER,
        invited_by=shared.owner,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert invite(auth_client, shared, "friend@example.com").status_code == 403
    assert auth_client.get(f"/api/v1/lists/{shared.id}/invitations/").status_code == 403
    url = f"/api/v1/lists/{shared.id}/invitations/{pending.id}/"
    assert auth_client.delete(url).status_code == 403
    assert Invitation.objects.filter(pk=pending.pk).exists()


def test_a_list_without_a_role_is_404_for_its_invitations(auth_client):
    other = ListFactory.create()
    pending = other.invitations.create(
        email="x@example.com",
        role=Role.VIEWER,
        invited_by=other.owner,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    base = f"/api/v1/lists/{other.id}/invitations/"
    assert invite(auth_client, other, "friend@example.com").status_code == 404
    assert auth_client.get(base).status_code == 404
    assert auth_client.delete(f"{base}{pending.id}/").status_code == 404
    assert Invitation.objects.filter(pk=pending.pk).exists()


def test_invitations_spend_a_per_user_budget(
    auth_client, other_user, other_client, groceries, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "invite": "2/hour",
        },
    }
    statuses = [
        invite(auth_client, groceries, f"friend{n}@example.com").status_code for n in range(3)
    ]
    assert statuses == [202, 202, 429]
    # Reads of the list are not invitations; another person has their own budget.
    assert auth_client.get(f"/api/v1/lists/{groceries.id}/invitations/").status_code == 200
    theirs = ListFactory.create(owner=other_user)
    assert invite(other_client, theirs, "friend@example.com").status_code == 202


def test_the_daily_clean_up_drops_expired_invitations_only(auth_client, groceries):
    invite(auth_client, groceries, "old@example.com")
    invite(auth_client, groceries, "new@example.com")
    Invitation.objects.filter(email="old@example.com").update(expires_at=timezone.now())
    call_command("cleanup", stdout=io.StringIO())
    assert list(Invitation.objects.values_list("email", flat=True)) == ["new@example.com"]
