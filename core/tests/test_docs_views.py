"""The schema and the docs pages take ``?version=`` from the versions served only."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

INJECTED = 'a";filename="evil.html'


@pytest.fixture
def client() -> Client:
    return Client(HTTP_X_FORWARDED_PROTO="https")


@pytest.mark.parametrize("version", ["\n", "\r\nSet-Cookie: a=b", INJECTED, "v2"])
def test_an_unserved_version_is_ignored_not_written_into_a_header(client, version):
    response = client.get("/api/schema/", {"version": version})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="Todo API.yaml"'
    assert "Set-Cookie" not in response.headers


def test_the_served_version_names_the_file(client):
    response = client.get("/api/schema/", {"version": "v1"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="Todo API (v1).yaml"'


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_take_any_version_without_an_error(client, page):
    response = client.get(page, {"version": INJECTED})
    assert response.status_code == 200
    assert 'filename="evil.html' not in response.content.decode()
