"""The staff admin for lists: members and invitations inline, search, query cost."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from lists.models import Role
from lists.tests.factories import ListFactory, share

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/lists/list/"


@pytest.fixture
def staff_client() -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


def test_the_changelist_costs_the_same_for_3_or_40_lists(staff_client):
    counts = []
    for batch in (3, 40):
        for list_ in ListFactory.create_batch(batch):
            share(list_, UserFactory.create(), Role.VIEWER)
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(CHANGELIST).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts


def test_search_by_name_and_owner_email(staff_client):
    ListFactory.create(name="Groceries", owner__email="ann@example.com")
    ListFactory.create(name="Work", owner__email="bob@example.com")
    page = staff_client.get(CHANGELIST, {"q": "groceries"}).content.decode()
    assert "Groceries" in page
    assert ">Work<" not in page
    page = staff_client.get(CHANGELIST, {"q": "bob@"}).content.decode()
    assert ">Work<" in page
    assert "Groceries" not in page


def test_a_list_shows_its_members_and_pending_invitations_inline(staff_client):
    groceries = ListFactory.create(name="Groceries")
    share(groceries, UserFactory.create(email="member@example.com"), Role.EDITOR)
    groceries.invitations.create(
        email="invited@example.com",
        role=Role.VIEWER,
        invited_by=groceries.owner,
        expires_at="2100-01-01T00:00Z",
    )
    page = staff_client.get(f"{CHANGELIST}{groceries.pk}/change/").content.decode()
    assert "invited@example.com" in page
    assert "Memberships" in page
    assert "Invitations" in page
