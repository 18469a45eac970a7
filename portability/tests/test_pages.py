"""The profile page's "Download your data": the export on the session sign-in."""

import csv
import io
import json

import pytest

from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db


def test_the_profile_page_links_both_downloads(signed_in):
    page = signed_in.get("/accounts/profile/").content.decode()
    assert "Download your data" in page
    assert 'href="/accounts/export.json" download' in page
    assert 'href="/accounts/export.csv" download' in page


def test_the_downloads_are_the_signed_in_persons_export(signed_in, user):
    TodoFactory.create(owner=user, title="Mine")
    TodoFactory.create(title="Somebody else's")

    as_json = signed_in.get("/accounts/export.json")
    as_csv = signed_in.get("/accounts/export.csv")

    assert as_json["Content-Disposition"].endswith('.json"')
    document = json.loads(b"".join(as_json.streaming_content))
    assert document["profile"]["email"] == user.email
    assert [todo["title"] for todo in document["todos"]] == ["Mine"]
    rows = list(csv.DictReader(io.StringIO(b"".join(as_csv.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Mine"]


def test_a_download_needs_a_sign_in_and_a_known_format(browser, signed_in):
    response = browser.get("/accounts/export.json")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert signed_in.get("/accounts/export.xml").status_code == 404
