"""The list pages, driven as a browser would without JavaScript (forms and redirects)."""

import pytest
from django.core import mail
from django.test import Client, TestCase

from accounts.tests.factories import UserFactory
from lists.models import Invitation, List, Membership, Role
from lists.tests.factories import ListFactory, share
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_lists_are_in_the_navigation_inbox_first(signed_in, user):
    ListFactory.create(owner=user, name="Zoo")
    share(ListFactory.create(name="Flat"), user, Role.VIEWER)
    html = page(signed_in, "/todos/")
    nav = html[
        html.index('aria-label="Lists"') : html.index("</nav>", html.index('aria-label="Lists"'))
    ]
    assert nav.index("Inbox") < nav.index("Flat") < nav.index("Zoo")
    assert "viewer" in nav


def test_make_a_list_add_to_it_and_see_it_on_the_whole_list(signed_in, user):
    response = signed_in.post("/lists/", {"name": "  Groceries "})
    groceries = List.objects.get(owner=user, name="Groceries")
    assert response.status_code == 302
    assert response["Location"] == f"/lists/{groceries.pk}/"
    assert signed_in.post(f"/lists/{groceries.pk}/", {"title": "Milk"}).status_code == 302
    assert Todo.objects.get().list == groceries
    html = page(signed_in, f"/lists/{groceries.pk}/")
    assert "<h1>Groceries</h1>" in html
    assert "Milk" in html
    everything = page(signed_in, "/todos/")
    assert "Milk" in everything
    assert f'href="/lists/{groceries.pk}/">Groceries</a>' in everything


def test_a_bad_or_taken_name_is_shown_on_the_form(signed_in, user):
    ListFactory.create(owner=user, name="Work")
    for name in ["   ", "WORK", "x" * 101]:
        response = signed_in.post("/lists/", {"name": name})
        assert response.status_code == 400
        assert response.context["form"].errors["name"]
    assert List.objects.filter(owner=user).count() == 2


def test_the_list_page_has_every_query_of_the_todo_page(signed_in, user):
    groceries = ListFactory.create(owner=user)
    # No description: the factory's random sentence could match the search too.
    for title, done in [("apples", True), ("bread", False), ("apricots", False)]:
        TodoFactory.create(owner=user, list=groceries, title=title, done=done, description="")
    TodoFactory.create(owner=user, title="apples in the inbox", description="")
    html = page(signed_in, f"/lists/{groceries.pk}/?done=false&search=ap&ordering=title")
    assert "apricots" in html
    assert "bread" not in html
    assert "apples" not in html
    assert signed_in.get(f"/lists/{groceries.pk}/?ordering=nope").status_code == 400


def test_a_viewer_sees_no_add_edit_or_delete_controls(signed_in, user):
    shared = ListFactory.create(name="Flat")
    share(shared, user, Role.VIEWER)
    todo = TodoFactory.create(owner=shared.owner, list=shared, title="Bins out")
    html = page(signed_in, f"/lists/{shared.pk}/")
    assert "Bins out" in html
    assert 'id="add-form"' not in html
    assert f"/todos/{todo.pk}/edit/" not in html
    assert f"/todos/{todo.pk}/delete/" not in html
    assert f"/todos/{todo.pk}/toggle/" not in html
    assert signed_in.post(f"/lists/{shared.pk}/", {"title": "Sneaky"}).status_code == 403
    assert not Todo.objects.filter(title="Sneaky").exists()


def test_an_editor_has_the_controls(signed_in, user):
    shared = ListFactory.create(name="Flat")
    share(shared, user, Role.EDITOR)
    todo = TodoFactory.create(owner=shared.owner, list=shared)
    html = page(signed_in, f"/lists/{shared.pk}/")
    assert 'id="add-form"' in html
    assert f"/todos/{todo.pk}/edit/" in html


def test_a_list_without_a_role_is_a_404_page_everywhere(signed_in):
    other = ListFactory.create()
    member = Membership.objects.get(list=other)
    for url in [
        f"/lists/{other.pk}/",
        f"/lists/{other.pk}/sharing/",
        f"/lists/{other.pk}/delete/",
    ]:
        assert signed_in.get(url).status_code == 404, url
    for url in [
        f"/lists/{other.pk}/",
        f"/lists/{other.pk}/rename/",
        f"/lists/{other.pk}/delete/",
        f"/lists/{other.pk}/sharing/invite/",
        f"/lists/{other.pk}/members/{member.pk}/remove/",
    ]:
        assert signed_in.post(url, {"name": "x", "title": "x"}).status_code == 404, url
    assert List.objects.filter(pk=other.pk).exists()


def test_rename_and_delete_after_asking(signed_in, user):
    work = ListFactory.create(owner=user, name="Work")
    TodoFactory.create(owner=user, list=work)
    assert signed_in.post(f"/lists/{work.pk}/rename/", {"name": "Job"}).status_code == 302
    work.refresh_from_db()
    assert work.name == "Job"
    assert "Delete this list?" in page(signed_in, f"/lists/{work.pk}/delete/")
    response = signed_in.post(f"/lists/{work.pk}/delete/")
    assert response.status_code == 302
    assert not List.objects.filter(pk=work.pk).exists()
    assert not Todo.objects.exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_the_owner_renames_deletes_or_invites(signed_in, user, role):
    shared = ListFactory.create(name="Flat")
    share(shared, user, role)
    assert signed_in.get(f"/lists/{shared.pk}/delete/").status_code == 403
    assert signed_in.post(f"/lists/{shared.pk}/delete/").status_code == 403
    assert signed_in.post(f"/lists/{shared.pk}/rename/", {"name": "Mine"}).status_code == 403
    invite = {"email": "x@example.com", "role": "viewer"}
    assert signed_in.post(f"/lists/{shared.pk}/sharing/invite/", invite).status_code == 403
    html = page(signed_in, f"/lists/{shared.pk}/sharing/")
    assert "Invite someone" not in html
    assert "Leave this list" in html
    shared.refresh_from_db()
    assert shared.name == "Flat"


def test_share_by_invitation_accept_and_see_the_list(signed_in, user):
    groceries = ListFactory.create(owner=user, name="Groceries")
    TodoFactory.create(owner=user, list=groceries, title="Milk")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = signed_in.post(
            f"/lists/{groceries.pk}/sharing/invite/",
            {"email": "friend@example.com", "role": "editor"},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "/invitations/" in message.body
    assert "friend@example.com" in page(signed_in, f"/lists/{groceries.pk}/sharing/")

    friend = Client(HTTP_X_FORWARDED_PROTO="https")
    friend.force_login(UserFactory.create(email="friend@example.com", email_verified=True))
    invitation = Invitation.objects.get()
    assert "Groceries" in page(friend, "/invitations/")
    response = friend.post(f"/invitations/{invitation.pk}/accept/")
    assert response["Location"] == f"/lists/{groceries.pk}/"
    assert "Milk" in page(friend, "/todos/")
    members = page(signed_in, f"/lists/{groceries.pk}/sharing/")
    assert "friend@example.com" in members
    assert "Revoke" not in members


def test_the_owner_changes_a_role_removes_and_revokes(signed_in, user):
    groceries = ListFactory.create(owner=user)
    member = share(groceries, UserFactory.create(), Role.VIEWER)
    pending = groceries.invitations.create(
        email="x@example.com", role=Role.VIEWER, invited_by=user, expires_at="2100-01-01T00:00Z"
    )
    url = f"/lists/{groceries.pk}/members/{member.pk}/"
    assert signed_in.post(f"{url}role/", {"role": "editor"}).status_code == 302
    member.refresh_from_db()
    assert member.role == Role.EDITOR
    revoke = f"/lists/{groceries.pk}/invitations/{pending.pk}/revoke/"
    assert signed_in.post(revoke).status_code == 302
    assert signed_in.post(f"{url}remove/").status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert not Invitation.objects.exists()


def test_a_member_leaves_from_the_sharing_page(signed_in, user):
    shared = ListFactory.create()
    mine = share(shared, user, Role.EDITOR)
    response = signed_in.post(f"/lists/{shared.pk}/members/{mine.pk}/remove/")
    assert response["Location"] == "/todos/"
    assert signed_in.get(f"/lists/{shared.pk}/").status_code == 404


def test_an_unverified_person_is_told_why_and_cannot_accept(signed_in, user):
    groceries = ListFactory.create(name="Groceries")
    invitation = groceries.invitations.create(
        email=user.email,
        role=Role.EDITOR,
        invited_by=groceries.owner,
        expires_at="2100-01-01T00:00Z",
    )
    html = page(signed_in, "/invitations/")
    assert "Verify your email address first" in html
    assert 'action="/accounts/verify/resend/"' in html
    assert "Groceries" not in html
    assert signed_in.post(f"/invitations/{invitation.pk}/accept/").status_code == 403
    assert not Membership.objects.filter(list=groceries, user=user).exists()


def test_declining_from_the_page(signed_in, user):
    user.email_verified = True
    user.save()
    groceries = ListFactory.create()
    invitation = groceries.invitations.create(
        email=user.email,
        role=Role.EDITOR,
        invited_by=groceries.owner,
        expires_at="2100-01-01T00:00Z",
    )
    assert signed_in.post(f"/invitations/{invitation.pk}/decline/").status_code == 302
    assert not Invitation.objects.exists()
    assert "No invitations" in page(signed_in, "/invitations/")


def test_the_list_page_costs_a_fixed_number_of_queries(
    signed_in, user, django_assert_max_num_queries
):
    for number in range(8):
        shared = ListFactory.create(name=f"L{number}")
        share(shared, user, Role.EDITOR)
        TodoFactory.create_batch(3, owner=shared.owner, list=shared)
    # session, user, the person's lists (the navigation, roles and names), a page of todos
    with django_assert_max_num_queries(4):
        assert signed_in.get(f"/lists/{shared.pk}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert signed_in.get("/todos/").status_code == 200
