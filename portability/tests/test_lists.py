"""The export and import with lists: the lists a person owns, their members, their todos."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from lists.models import Invitation, List, Role
from lists.tests.factories import ListFactory, share
from todos.models import Todo
from todos.tests.factories import TodoFactory

EXPORT = "/api/v1/auth/export/"
IMPORT = "/api/v1/auth/import/"

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def lists(user, other_user):
    work = ListFactory.create(owner=user, name="Work")
    share(work, other_user, Role.VIEWER)
    Invitation.objects.create(
        list=work,
        email="invited@example.com",
        role=Role.EDITOR,
        invited_by=user,
        expires_at=timezone.now() + timedelta(days=1),
    )
    TodoFactory.create(owner=user, list=work, title="Report")
    TodoFactory.create(owner=user, title="Milk")  # the inbox
    theirs = ListFactory.create(owner=other_user, name="Theirs")
    share(theirs, user)
    TodoFactory.create(owner=other_user, list=theirs, title="Not mine")
    return work


def test_the_json_export_has_the_owned_lists_with_members_and_each_todos_list(
    auth_client, other_user, lists
):
    document = json.loads(body(auth_client.get(EXPORT)))

    assert [(item["name"], item["is_inbox"]) for item in document["lists"]] == [
        ("Inbox", True),
        ("Work", False),
    ]
    work = document["lists"][1]
    assert work["members"] == [
        {"email": other_user.email, "name": other_user.name, "role": "viewer"}
    ]
    assert [(i["email"], i["role"]) for i in work["invitations"]] == [
        ("invited@example.com", "editor")
    ]
    assert [(todo["list"], todo["title"]) for todo in document["todos"]] == [
        ("Inbox", "Milk"),
        ("Work", "Report"),
    ]


def test_the_csv_export_names_each_todos_list(auth_client, lists):
    rows = list(
        csv.DictReader(io.StringIO(body(auth_client.get(EXPORT, {"format": "csv"})).decode()))
    )
    assert [(row["list"], row["title"]) for row in rows] == [("Inbox", "Milk"), ("Work", "Report")]


def test_an_import_makes_the_lists_and_puts_each_todo_in_its_own(
    auth_client, user, other_client, other_user, lists
):
    ListFactory.create(owner=other_user, name="work")  # the same name, in other case
    exported = body(auth_client.get(EXPORT))

    response = other_client.post(IMPORT, exported, content_type="application/json")

    assert response.status_code == 201, response.json()
    imported = sorted(
        Todo.objects.filter(owner=other_user, title__in=["Milk", "Report"]).values_list(
            "list__name", "title"
        )
    )
    assert imported == [("Inbox", "Milk"), ("work", "Report")]
    # Members and invitations are not imported: they are other people.
    assert not Invitation.objects.filter(invited_by=other_user).exists()


def test_a_todo_naming_a_list_in_neither_the_file_nor_the_account_is_a_400(auth_client, user):
    document = {"version": 1, "todos": [{"title": "a"}, {"title": "b", "list": "Nowhere"}]}

    response = auth_client.post(IMPORT, json.dumps(document), content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["todos[1].list"]
    assert not Todo.objects.filter(owner=user).exists()
    assert not List.objects.filter(owner=user, name="Nowhere").exists()
