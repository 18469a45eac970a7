"""The todo pages through the Django test client: plain form posts (no JavaScript) and htmx."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from todos.models import Todo
from todos.selectors import todo_version
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

LIST = "/todos/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def version_of(todo: Todo) -> str:
    return todo_version(todo=todo)


def titles(page: str) -> list[str]:
    return re.findall(r'<label for="done-\d+" class="title">([^<]*)</label>', page)


def test_the_list_needs_a_session(browser):
    response = browser.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/todos/"


def test_the_list_shows_only_ones_own_todos_newest_first(signed_in, user, other_user):
    for title in ("first", "second", "third"):
        TodoFactory.create(owner=user, title=title)
    TodoFactory.create(owner=other_user, title="not yours")
    response = signed_in.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert titles(page) == ["third", "second", "first"]
    assert "<title>Your todos · Todo</title>" in page
    for label in ("Title", "Due date", "Search"):
        assert f">{label}</label>" in page
    for link in ("All", "Open", "Done"):
        assert f">{link}</a>" in page
    assert ">Add</button>" in page


def test_each_todo_is_an_item_with_a_checkbox_save_edit_and_delete(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Write report")
    page = signed_in.get(LIST).content.decode()
    (item,) = re.findall(r'<li id="todo-\d+".*?</li>', page, re.S)
    assert f'<input type="checkbox" name="done" id="done-{todo.pk}"' in item
    assert '<noscript><button type="submit" class="small">Save</button></noscript>' in item
    assert f'href="/todos/{todo.pk}/edit/"' in item
    assert "Delete" in item
    assert f'action="/todos/{todo.pk}/delete/"' in item


def test_the_empty_state(signed_in):
    page = signed_in.get(LIST).content.decode()
    assert titles(page) == []
    assert "Nothing to do yet" in page
    assert "No todos match." in signed_in.get(LIST, {"search": "x"}).content.decode()


def test_overdue_due_dates_are_marked(signed_in, user):
    today = timezone.localdate()
    TodoFactory.create(owner=user, title="late", due_date=today - datetime.timedelta(days=1))
    TodoFactory.create(
        owner=user, title="late but done", done=True, due_date=today - datetime.timedelta(days=1)
    )
    TodoFactory.create(owner=user, title="due today", due_date=today)
    page = signed_in.get(LIST).content.decode()
    items = dict(re.findall(r'class="title">([^<]*)</label>(.*?)</li>', page, re.S))
    assert "Overdue" in items["late"]
    assert "Overdue" not in items["late but done"]
    assert "Overdue" not in items["due today"]


def test_filter_search_and_order_take_the_apis_parameters(signed_in, user):
    # Descriptions fixed: a random one could hold a searched word.
    TodoFactory.create(
        owner=user, title="Buy milk", description="", done=True, due_date=datetime.date(2030, 1, 2)
    )
    TodoFactory.create(
        owner=user, title="Call mum", description="", due_date=datetime.date(2030, 1, 1)
    )
    TodoFactory.create(owner=user, title="Buy bread", description="from the baker")

    def shown(**query):
        return titles(signed_in.get(LIST, query).content.decode())

    assert shown(done="true") == ["Buy milk"]
    assert shown(done="false") == ["Buy bread", "Call mum"]
    assert shown(search="buy") == ["Buy bread", "Buy milk"]
    assert shown(search="baker") == ["Buy bread"]
    assert shown(ordering="title") == ["Buy bread", "Buy milk", "Call mum"]
    assert shown(ordering="due_date") == ["Call mum", "Buy milk", "Buy bread"]
    assert shown(done="false", search="call") == ["Call mum"]


@pytest.mark.parametrize("query", [{"ordering": "owner"}, {"done": "maybe"}, {"cursor": "bogus"}])
def test_a_bad_query_is_a_400_page(signed_in, query):
    response = signed_in.get(LIST, query)
    assert response.status_code == 400
    assert "<title>Bad request · Todo</title>" in response.content.decode()


def test_keyset_pages_newer_and_older(signed_in, user):
    for n in range(25):
        TodoFactory.create(owner=user, title=f"todo {n:02}")
    first = signed_in.get(LIST).content.decode()
    assert titles(first) == [f"todo {n:02}" for n in range(24, 4, -1)]
    assert ">Newer</a>" not in first
    older_link = re.search(r'<a href="([^"]+)" rel="next">Older</a>', first)
    assert older_link, first
    older = older_link.group(1).replace("&amp;", "&")
    assert "cursor=" in older
    second = signed_in.get(older).content.decode()
    assert titles(second) == [f"todo {n:02}" for n in range(4, -1, -1)]
    assert ">Older</a>" not in second
    newer_link = re.search(r'<a href="([^"]+)" rel="prev">Newer</a>', second)
    assert newer_link, second
    newer = newer_link.group(1).replace("&amp;", "&")
    assert titles(signed_in.get(newer).content.decode()) == titles(first)


def test_the_list_costs_a_fixed_number_of_queries(signed_in, user, django_assert_max_num_queries):
    TodoFactory.create_batch(20, owner=user)
    # session, user, the lists the person sees (with their roles), one page of todos
    with django_assert_max_num_queries(4):
        assert signed_in.get(LIST).status_code == 200


def test_add_without_javascript_redirects_to_the_list(signed_in, user):
    response = signed_in.post(LIST, {"title": "  Water the plants ", "due_date": "2030-05-01"})
    assert response.status_code == 302
    assert response["Location"] == LIST
    todo = Todo.objects.get(owner=user)
    assert (todo.title, todo.due_date, todo.done, todo.completed_at) == (
        "Water the plants",
        datetime.date(2030, 5, 1),
        False,
        None,
    )
    assert "Added “Water the plants”." in signed_in.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field may not be blank."),
        ("x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_add_refuses_a_title_the_api_refuses(signed_in, auth_client, title, message):
    response = signed_in.post(LIST, {"title": title})
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [message]
    assert Todo.objects.count() == 0
    assert auth_client.post("/api/v1/todos/", {"title": title}, format="json").status_code == 400


def test_a_title_of_200_characters_is_fine_on_both(signed_in, auth_client):
    assert signed_in.post(LIST, {"title": "x" * 200}).status_code == 302
    assert (
        auth_client.post("/api/v1/todos/", {"title": "y" * 200}, format="json").status_code == 201
    )


def test_add_with_htmx_answers_the_form_the_item_and_the_message(signed_in, user):
    response = signed_in.post(LIST, {"title": "Via htmx"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    todo = Todo.objects.get(owner=user)
    assert page.startswith('<form id="add-form"')
    assert re.search(rf'<ul hx-swap-oob="afterbegin:#todo-list">\s*<li id="todo-{todo.pk}"', page)
    assert 'id="messages"' in page
    assert "Added “Via htmx”." in page


def test_add_with_htmx_shows_errors_in_the_form(signed_in):
    response = signed_in.post(LIST, {"title": " "}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<form id="add-form"')
    assert "This field may not be blank." in page
    assert Todo.objects.count() == 0


def test_toggle_without_javascript_sets_done_and_completed_at(signed_in, user):
    todo = TodoFactory.create(owner=user)
    response = signed_in.post(
        f"/todos/{todo.pk}/toggle/", {"done": "on", "next": "/todos/?done=false"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/todos/?done=false"
    todo.refresh_from_db()
    assert todo.done is True
    assert todo.completed_at is not None
    signed_in.post(f"/todos/{todo.pk}/toggle/", {})
    todo.refresh_from_db()
    assert (todo.done, todo.completed_at) == (False, None)


def test_toggle_never_redirects_off_the_site(signed_in, user):
    todo = TodoFactory.create(owner=user)
    response = signed_in.post(
        f"/todos/{todo.pk}/toggle/", {"done": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_toggle_with_htmx_answers_the_item(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Tick me")
    response = signed_in.post(f"/todos/{todo.pk}/toggle/", {"done": "on"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode().strip()
    assert page.startswith(f'<li id="todo-{todo.pk}" class="todo done">')
    assert "checked" in page
    assert "“Tick me” is done." in page


def test_edit_page_has_its_fields_and_the_version(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Edit me", due_date=datetime.date(2030, 1, 1))
    response = signed_in.get(f"/todos/{todo.pk}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Title", "Description", "Due date", "Done"):
        assert f">{label}</label>" in page
    assert ">Save</button>" in page
    assert f'name="version" value="{version_of(todo)}"' in page.replace("&quot;", '"')
    assert 'value="2030-01-01"' in page


def edit(client, todo, version, **fields):
    data = {"title": todo.title, "description": todo.description, "version": version, **fields}
    return client.post(f"/todos/{todo.pk}/edit/", data)


def test_edit_saves_and_completed_at_follows_done(signed_in, user):
    todo = TodoFactory.create(owner=user)
    response = edit(
        signed_in, todo, version_of(todo), title=" New title ", done="on", due_date="2031-02-03"
    )
    assert response.status_code == 302
    todo.refresh_from_db()
    assert (todo.title, todo.done, todo.due_date) == ("New title", True, datetime.date(2031, 2, 3))
    assert todo.completed_at is not None


def test_the_version_is_the_apis_etag(signed_in, user, auth_client):
    todo = TodoFactory.create(owner=user)
    assert auth_client.get(f"/api/v1/todos/{todo.pk}/")["ETag"] == version_of(todo)


def test_saving_over_a_newer_change_shows_both_versions_and_overwrites_nothing(
    signed_in, user, auth_client
):
    todo = TodoFactory.create(owner=user, title="Original")
    opened_at = version_of(todo)
    # Somebody changes it through the API meanwhile.
    assert (
        auth_client.patch(
            f"/api/v1/todos/{todo.pk}/", {"title": "Changed in the API"}, format="json"
        ).status_code
        == 200
    )
    response = edit(signed_in, todo, opened_at, title="Changed in the browser")
    assert response.status_code == 409
    page = response.content.decode()
    assert "This todo changed since you opened it." in page
    assert "Changed in the API" in page
    assert "Changed in the browser" in page
    todo.refresh_from_db()
    assert todo.title == "Changed in the API"
    # Saving again, now at the version shown, is a deliberate overwrite.
    field = re.search(r'name="version" value="([^"]+)"', page)
    assert field, page
    current = html.unescape(field.group(1))
    assert current == version_of(todo)
    assert edit(signed_in, todo, current, title="Changed in the browser").status_code == 302
    todo.refresh_from_db()
    assert todo.title == "Changed in the browser"


def test_edit_errors_are_shown_and_nothing_is_saved(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Keep")
    response = edit(signed_in, todo, version_of(todo), title=" ")
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field may not be blank."]
    todo.refresh_from_db()
    assert todo.title == "Keep"


def test_edit_with_htmx_swaps_the_form_in_and_the_item_back(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Inline")
    form = signed_in.get(f"/todos/{todo.pk}/edit/", **HTMX).content.decode().strip()
    assert form.startswith(f'<li id="todo-{todo.pk}" class="todo editing">')
    assert "<html" not in form
    assert f'hx-get="/todos/{todo.pk}/"' in form  # Cancel brings the item back
    cancel = signed_in.get(f"/todos/{todo.pk}/", **HTMX).content.decode().strip()
    assert cancel.startswith(f'<li id="todo-{todo.pk}" class="todo">')
    saved = (
        signed_in.post(
            f"/todos/{todo.pk}/edit/",
            {"title": "Inline edited", "description": "", "version": version_of(todo)},
            **HTMX,
        )
        .content.decode()
        .strip()
    )
    assert saved.startswith(f'<li id="todo-{todo.pk}" class="todo">')
    assert "Inline edited" in saved


def test_delete_without_javascript_asks_first(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Bin me")
    page = signed_in.get(f"/todos/{todo.pk}/delete/").content.decode()
    assert "<title>Delete “Bin me” · Todo</title>" in page
    assert '<button type="submit" class="danger">Delete</button>' in page
    assert Todo.objects.filter(pk=todo.pk).exists()
    response = signed_in.post(f"/todos/{todo.pk}/delete/")
    assert response.status_code == 302
    assert not Todo.objects.filter(pk=todo.pk).exists()
    assert "Deleted “Bin me”." in signed_in.get(LIST).content.decode()


def test_delete_without_javascript_returns_to_the_list_it_came_from(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Bin me")
    open_todos = "/todos/?done=false&ordering=due_date"
    listed = signed_in.get(open_todos).content.decode()
    assert f'<input type="hidden" name="next" value="{html.escape(open_todos)}">' in listed
    page = signed_in.get(f"/todos/{todo.pk}/delete/", {"next": open_todos}).content.decode()
    assert f'href="{html.escape(open_todos)}">Cancel</a>' in page
    response = signed_in.post(f"/todos/{todo.pk}/delete/", {"next": open_todos})
    assert response.status_code == 302
    assert response["Location"] == open_todos


def test_delete_never_returns_to_another_site(signed_in, user):
    todo = TodoFactory.create(owner=user)
    page = signed_in.get(f"/todos/{todo.pk}/delete/", {"next": "https://evil.example/"})
    assert 'href="/todos/">Cancel</a>' in page.content.decode()
    response = signed_in.post(f"/todos/{todo.pk}/delete/", {"next": "https://evil.example/"})
    assert response["Location"] == "/todos/"


def test_delete_with_htmx_answers_only_the_message(signed_in, user):
    todo = TodoFactory.create(owner=user, title="Gone")
    response = signed_in.post(f"/todos/{todo.pk}/delete/", **HTMX)
    assert response.status_code == 200
    page = response.content.decode().strip()
    assert page.startswith('<div id="messages"')
    assert "Deleted “Gone”." in page
    assert not Todo.objects.filter(pk=todo.pk).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/todos/{pk}/edit/"),
        ("post", "/todos/{pk}/edit/"),
        ("post", "/todos/{pk}/toggle/"),
        ("get", "/todos/{pk}/delete/"),
        ("post", "/todos/{pk}/delete/"),
        ("get", "/todos/{pk}/"),
    ],
)
def test_somebody_elses_todo_is_the_same_404_page_as_none(signed_in, other_user, method, path):
    theirs = TodoFactory.create(owner=other_user, title="Private")
    for pk in (theirs.pk, theirs.pk + 1000):
        response = getattr(signed_in, method)(
            path.format(pk=pk), {"title": "Hijacked", "done": "on"}
        )
        assert response.status_code == 404
        page = response.content.decode()
        assert "<title>Not found · Todo</title>" in page
        assert "Private" not in page
    theirs.refresh_from_db()
    assert (theirs.title, theirs.done) == ("Private", False)


def test_a_todo_made_on_a_page_is_the_apis_and_the_other_way_round(signed_in, auth_client):
    signed_in.post(LIST, {"title": "From the page"})
    api_titles = [todo["title"] for todo in auth_client.get("/api/v1/todos/").json()["results"]]
    assert api_titles == ["From the page"]
    auth_client.post("/api/v1/todos/", {"title": "From the API"}, format="json")
    assert titles(signed_in.get(LIST).content.decode()) == ["From the API", "From the page"]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_each_action_costs_a_fixed_number_of_queries(
    signed_in, user, htmx, django_assert_max_num_queries
):
    # Session and user, the person's lists and roles, then the action's own: a
    # savepoint around a locked read and one write (add: one insert). Nothing
    # grows with the list.
    TodoFactory.create_batch(30, owner=user)
    todo = TodoFactory.create(owner=user)
    headers = HTMX if htmx else {}
    with django_assert_max_num_queries(4):
        assert signed_in.post(LIST, {"title": "one more"}, **headers).status_code in {200, 302}
    with django_assert_max_num_queries(7):
        response = signed_in.post(f"/todos/{todo.pk}/toggle/", {"done": "on"}, **headers)
        assert response.status_code in {200, 302}
    with django_assert_max_num_queries(4):
        assert signed_in.get(f"/todos/{todo.pk}/edit/", **headers).status_code == 200
    todo.refresh_from_db()
    edit = {"title": "edited", "version": version_of(todo)}
    with django_assert_max_num_queries(7):
        response = signed_in.post(f"/todos/{todo.pk}/edit/", edit, **headers)
        assert response.status_code in {200, 302}
    with django_assert_max_num_queries(7):
        response = signed_in.post(f"/todos/{todo.pk}/delete/", **headers)
        assert response.status_code in {200, 302}
    assert not Todo.objects.filter(pk=todo.pk).exists()
