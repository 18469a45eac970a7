"""The profile page's "Delete account": the API's deletion, asking for the password."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tests.test_pages import buttons, labels
from accounts.tests.utils import login, me_status
from tests.clients import make_client
from todos.models import Todo
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

DELETE = "/accounts/delete/"


def test_the_profile_links_the_page_which_asks_for_the_password(signed_in):
    assert 'href="/accounts/delete/"' in signed_in.get("/accounts/profile/").content.decode()

    page = signed_in.get(DELETE).content.decode()

    assert "Your password" in labels(page)
    assert "Delete account" in buttons(page)


def test_a_wrong_password_shows_the_form_again_and_deletes_nothing(signed_in, user):
    response = signed_in.post(DELETE, {"password": "not-it"})

    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert signed_in.get("/accounts/profile/").status_code == 200


def test_the_right_password_signs_out_everywhere_and_deletes_the_account(
    signed_in, user, mailoutbox
):
    TodoFactory.create_batch(3, owner=user)
    tokens = login(make_client(), user.email)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = signed_in.post(DELETE, {"password": DEFAULT_PASSWORD}, follow=True)

    assert response.redirect_chain[0] == ("/", 302)
    assert "Your account is locked and being deleted" in response.content.decode()
    assert signed_in.get("/accounts/profile/").status_code == 302
    assert me_status(tokens["access"]) == 401
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Todo.objects.filter(owner_id=user.pk).exists()
    assert len(mailoutbox) == 1


def test_the_page_needs_a_sign_in(browser):
    response = browser.get(DELETE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_browsers_session_signs_nobody_in_and_the_cleanup_removes_it(
    signed_in, user, settings
):
    other_browser = Client(HTTP_X_FORWARDED_PROTO="https")
    other_browser.force_login(user)

    with TestCase.captureOnCommitCallbacks(execute=True):
        signed_in.post(DELETE, {"password": DEFAULT_PASSWORD})

    assert other_browser.get("/accounts/profile/").status_code == 302
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    call_command("cleanup", verbosity=0)
    assert not Session.objects.exists()
