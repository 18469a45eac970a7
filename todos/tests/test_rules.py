"""
One home for each rule: the API and the pages answer the same input the same
way, because both go through todos.services and todos.selectors.
"""

import re

import pytest

from core.exceptions import PreconditionFailed
from lists.selectors import list_access
from todos import services
from todos.models import Todo
from todos.selectors import todo_version
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

LIST = "/todos/"
API = "/api/v1/todos/"
# Blank once trimmed (a rule of the service), or refused by both fields' shape.
BAD_TITLES = [" ", "  \t\n", "\u3000\u00a0", "a\x00b"]


def titles(page: str) -> list[str]:
    return re.findall(r'<label for="done-\d+" class="title">([^<]*)</label>', page)


@pytest.mark.parametrize("title", BAD_TITLES)
def test_a_bad_title_gets_the_same_message_from_the_api_and_the_add_form(
    signed_in, auth_client, title
):
    api = auth_client.post(API, {"title": title}, format="json")
    page = signed_in.post(LIST, {"title": title})
    assert api.status_code == 400
    assert page.status_code == 200
    assert page.context["form"].errors["title"] == api.json()["title"]
    assert Todo.objects.count() == 0


@pytest.mark.parametrize("title", BAD_TITLES)
def test_a_bad_title_gets_the_same_message_from_the_api_and_the_edit_form(
    signed_in, auth_client, user, title
):
    todo = TodoFactory.create(owner=user, title="Keep")
    api = auth_client.patch(f"{API}{todo.pk}/", {"title": title}, format="json")
    page = signed_in.post(
        f"/todos/{todo.pk}/edit/", {"title": title, "version": todo_version(todo=todo)}
    )
    assert api.status_code == 400
    assert page.status_code == 200
    assert page.context["form"].errors["title"] == api.json()["title"]
    todo.refresh_from_db()
    assert todo.title == "Keep"


def test_the_title_limit_is_the_models_on_both_sides(signed_in, auth_client):
    longest, too_long = "x" * Todo.TITLE_MAX_LENGTH, "y" * (Todo.TITLE_MAX_LENGTH + 1)
    assert auth_client.post(API, {"title": longest}, format="json").status_code == 201
    assert signed_in.post(LIST, {"title": longest}).status_code == 302
    assert auth_client.post(API, {"title": too_long}, format="json").status_code == 400
    assert "title" in signed_in.post(LIST, {"title": too_long}).context["form"].errors
    assert f'maxlength="{Todo.TITLE_MAX_LENGTH}"' in signed_in.get(LIST).content.decode()
    assert Todo._meta.get_field("title").max_length == Todo.TITLE_MAX_LENGTH


def test_an_update_cannot_set_the_owner_or_what_follows_from_done(user, other_user):
    todo = TodoFactory.create(owner=user, title="Mine")
    for data in ({"owner": other_user}, {"title": "x", "completed_at": None}, {"id": 5}):
        with pytest.raises(TypeError, match="cannot write"):
            services.todo_update(todo=todo, lists=list_access(user=user), data=data)
    todo.refresh_from_db()
    assert (todo.owner, todo.title) == (user, "Mine")


def test_the_api_ignores_an_owner_in_the_body(auth_client, user, other_user):
    todo = TodoFactory.create(owner=user)
    response = auth_client.patch(
        f"{API}{todo.pk}/", {"owner": other_user.pk, "title": "Still mine"}, format="json"
    )
    assert response.status_code == 200
    todo.refresh_from_db()
    assert (todo.owner, todo.title) == (user, "Still mine")


def test_an_update_at_another_version_changes_nothing(user):
    todo = TodoFactory.create(owner=user, title="Original")
    lists = list_access(user=user)
    opened_at = todo_version(todo=todo)
    services.todo_update(todo=todo, lists=lists, data={"description": "meanwhile"})
    with pytest.raises(PreconditionFailed):
        services.todo_update(
            todo=todo, lists=lists, data={"title": "Lost"}, expected_versions={opened_at}
        )
    with pytest.raises(PreconditionFailed):
        services.todo_delete(todo=todo, lists=lists, expected_versions={opened_at})
    todo.refresh_from_db()
    assert (todo.title, todo.description) == ("Original", "meanwhile")
    services.todo_update(
        todo=todo,
        lists=lists,
        data={"title": "Current"},
        expected_versions={todo_version(todo=todo)},
    )
    todo.refresh_from_db()
    assert todo.title == "Current"


QUERIES = [
    {},
    {"done": "true"},
    {"done": "false", "ordering": "due_date"},
    {"search": "report", "ordering": "-title"},
    {"ordering": "created_at", "page_size": "3"},
    {"due_before": "2030-06-01", "ordering": "-due_date", "page_size": "2"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_page_lists_what_the_api_lists(signed_in, auth_client, user, query):
    for number in range(7):
        TodoFactory.create(
            owner=user,
            title=f"{'report' if number % 2 else 'chore'} {number}",
            done=number % 3 == 0,
            due_date=None if number == 4 else f"2030-0{number + 1}-01",
        )
    api = auth_client.get(API, query).json()
    page = signed_in.get(LIST, query).content.decode()
    assert titles(page) == [todo["title"] for todo in api["results"]]
    if api["next"]:
        found = re.search(r"cursor=([^&]+)", api["next"])
        assert found, api["next"]
        cursor = {"cursor": found.group(1)}
        api_next = auth_client.get(API, {**query, **cursor}).json()
        page_next = signed_in.get(LIST, {**query, **cursor}).content.decode()
        assert titles(page_next) == [todo["title"] for todo in api_next["results"]]


@pytest.mark.parametrize(
    "query",
    [{"done": "maybe"}, {"ordering": "owner"}, {"cursor": "nonsense"}, {"page_size": "0"}],
)
def test_the_page_refuses_what_the_api_refuses_with_its_message(signed_in, auth_client, query):
    api = auth_client.get(API, query)
    page = signed_in.get(LIST, query)
    assert api.status_code == page.status_code == 400
    ((parameter, messages),) = api.json().items()
    assert f"{parameter}: {' '.join(messages)}" in page.content.decode()
