"""A signed-in person's pages are kept by no cache, as the log-in pages are."""

import pytest

from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db


def assert_not_cached(response) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, response.get("Cache-Control")


@pytest.fixture
def todo(user):
    return TodoFactory.create(owner=user)


@pytest.mark.parametrize(
    "path",
    [
        "/todos/",
        "/todos/{id}/edit/",
        "/todos/{id}/delete/",
        "/accounts/profile/",
        "/accounts/password/change/",
    ],
)
def test_every_signed_in_page_is_private_and_not_stored(signed_in, todo, path):
    response = signed_in.get(path.format(id=todo.id))
    assert response.status_code == 200
    assert_not_cached(response)


def test_htmx_partials_are_private_and_not_stored(signed_in, todo):
    htmx = {"HTTP_HX_REQUEST": "true"}
    for response in (
        signed_in.get(f"/todos/{todo.id}/", **htmx),
        signed_in.get(f"/todos/{todo.id}/edit/", **htmx),
        signed_in.get("/todos/", **htmx),
        signed_in.post(f"/todos/{todo.id}/toggle/", **htmx),
    ):
        assert response.status_code == 200, response.content
        assert_not_cached(response)


def test_the_log_in_page_was_already_so(browser):
    assert_not_cached(browser.get("/accounts/login/"))


def test_a_page_for_anybody_is_left_as_it_was(browser, signed_in):
    assert "Cache-Control" not in browser.get("/").headers
    # The favicon states its own caching, signed in or not.
    assert signed_in.get("/favicon.ico")["Cache-Control"] == "max-age=86400, public"
