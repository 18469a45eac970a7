"""
The todo pages in a real browser: Debian's Chromium driven by Playwright
against pytest-django's live server, with JavaScript on and off: sign-up to
log-out, the keyboard, dialogs, the API and the pages on the same data, an
edit conflict, a phone's width, focus, and the Content-Security-Policy.
"""

import re

import pytest
from playwright import sync_api

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.utils import STRONG_PASSWORD
from tests.browser.pages import (
    BROWSER_TEST,
    PHONE,
    add,
    api,
    expect,
    fits_the_width,
    item,
    log_in,
    sign_up,
)

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_sign_up_add_toggle_edit_delete_filter_search_log_out_and_in(tabs, javascript):
    tab = tabs(java_script_enabled=javascript)
    page = tab.page
    email = f"ada-{'js' if javascript else 'nojs'}@example.com"
    sign_up(page, email)
    expect(page.get_by_text("Nothing to do yet")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(email)

    if javascript:
        # The live region stays the same element, so a screen reader announces the update.
        page.evaluate("document.getElementById('messages').kept = true")
    add(page, "Buy milk", due="2030-01-31")
    expect(page.get_by_role("status")).to_contain_text("Added “Buy milk”.")
    if javascript:
        assert page.evaluate("document.getElementById('messages').kept === true")
    add(page, "Call the plumber")
    expect(page.get_by_text("Nothing to do yet")).to_be_hidden()
    # Newest first.
    expect(page.locator("#todo-list .title")).to_have_text(["Call the plumber", "Buy milk"])

    # Toggle: with JavaScript a change saves; without, the item's Save button.
    milk = item(page, "Buy milk")
    milk.get_by_role("checkbox").check()
    if javascript:
        expect(milk.get_by_role("button", name="Save")).to_have_count(0)
    else:
        milk.get_by_role("button", name="Save").click()
    expect(item(page, "Buy milk")).to_have_class(re.compile(r"\bdone\b"))
    page.reload()
    expect(item(page, "Buy milk").get_by_role("checkbox")).to_be_checked()

    # Filter and search.
    page.get_by_role("link", name="Done", exact=True).click()
    expect(page.locator("#todo-list .title")).to_have_text(["Buy milk"])
    page.get_by_role("link", name="Open", exact=True).click()
    expect(page.locator("#todo-list .title")).to_have_text(["Call the plumber"])
    page.get_by_role("link", name="All", exact=True).click()
    page.get_by_label("Search").fill("plumb")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#todo-list .title")).to_have_text(["Call the plumber"])
    page.goto("/todos/")

    # Edit.
    item(page, "Call the plumber").get_by_role("link", name="Edit").click()
    if javascript:
        expect(page).to_have_url(re.compile(r"/todos/$"))  # in place
    else:
        expect(page).to_have_url(re.compile(r"/todos/\d+/edit/$"))
    form = page.locator("form.edit")
    form.get_by_label("Title").fill("Call the plumber today")
    form.get_by_label("Description").fill("The kitchen tap drips.")
    form.get_by_role("button", name="Save").click()
    expect(item(page, "Call the plumber today")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Saved “Call the plumber today”.")

    # Delete: a dialog with JavaScript, a page that asks without.
    target = item(page, "Call the plumber today")
    if javascript:
        page.once("dialog", lambda dialog: dialog.accept())
        target.get_by_role("button", name="Delete").click()
        expect(target).to_have_count(0)
        expect(page).to_have_url(re.compile(r"/todos/$"))
    else:
        target.get_by_role("button", name="Delete").click()
        # The confirmation knows the list it came from, and returns there.
        expect(page).to_have_url(re.compile(r"/todos/\d+/delete/\?next=%2Ftodos%2F$"))
        expect(page.get_by_role("heading")).to_have_text("Delete this todo?")
        page.get_by_role("button", name="Delete").click()
        expect(page).to_have_url(re.compile(r"/todos/$"))
    expect(page.get_by_role("status")).to_contain_text("Deleted “Call the plumber today”.")
    page.reload()
    expect(page.locator("#todo-list .title")).to_have_text(["Buy milk"])

    # Log out and in again.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    log_in(page, email)
    expect(page.locator("#todo-list .title")).to_have_text(["Buy milk"])
    assert tab.problems == []


def test_the_keyboard_keeps_its_place_across_in_place_updates(tabs):
    tab = tabs()
    page = tab.page
    sign_up(page, "keys@example.com")
    add(page, "Focus me")
    add(page, "Then me")

    checkbox = item(page, "Focus me").get_by_role("checkbox")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(item(page, "Focus me")).to_have_class(re.compile(r"\bdone\b"))
    expect(item(page, "Focus me").get_by_role("checkbox")).to_be_focused()

    item(page, "Focus me").get_by_role("link", name="Edit").focus()
    page.keyboard.press("Enter")
    title = page.locator("form.edit").get_by_label("Title")
    expect(title).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" now")
    page.keyboard.press("Enter")
    expect(item(page, "Focus me now").get_by_role("checkbox")).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    item(page, "Focus me now").get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")
    expect(item(page, "Focus me now")).to_have_count(0)
    expect(page.locator("#list-heading")).to_be_focused()
    assert tab.problems == []


def test_cancelling_the_delete_dialog_keeps_the_todo(tabs):
    tab = tabs()
    page = tab.page
    sign_up(page, "cancel@example.com")
    add(page, "Keep me")
    page.once("dialog", lambda dialog: dialog.dismiss())
    item(page, "Keep me").get_by_role("button", name="Delete").click()
    page.reload()
    expect(item(page, "Keep me")).to_be_visible()
    assert tab.problems == []


def test_a_todo_made_in_the_browser_is_in_the_api_and_the_other_way_round(tabs, site):
    email = "both@example.com"
    api(site, "POST", "/api/v1/auth/register/", {"email": email, "password": STRONG_PASSWORD})
    token = api(site, "POST", "/api/v1/auth/token/", {"email": email, "password": STRONG_PASSWORD})
    access = token["access"]
    api(site, "POST", "/api/v1/todos/", {"title": "Made through the API"}, access)

    tab = tabs()
    page = tab.page
    log_in(page, email)
    expect(page.locator("#todo-list .title")).to_have_text(["Made through the API"])
    add(page, "Made in the browser")

    listed = api(site, "GET", "/api/v1/todos/", token=access)["results"]
    assert [todo["title"] for todo in listed] == ["Made in the browser", "Made through the API"]


def test_an_edit_over_a_newer_change_shows_the_conflict(tabs, site):
    tab = tabs()
    page = tab.page
    sign_up(page, "conflict@example.com")
    add(page, "Original")
    item(page, "Original").get_by_role("link", name="Edit").click()
    # Meanwhile the API changes it.
    access = api(
        site,
        "POST",
        "/api/v1/auth/token/",
        {"email": "conflict@example.com", "password": STRONG_PASSWORD},
    )["access"]
    (todo,) = api(site, "GET", "/api/v1/todos/", token=access)["results"]
    api(site, "PATCH", f"/api/v1/todos/{todo['id']}/", {"title": "Changed in the API"}, access)

    form = page.locator("form.edit")
    form.get_by_label("Title").fill("Changed in the browser")
    form.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This todo changed since you opened it.")
    expect(alert).to_contain_text("Changed in the API")
    expect(alert).to_contain_text("Changed in the browser")
    assert api(site, "GET", f"/api/v1/todos/{todo['id']}/", token=access)["title"] == (
        "Changed in the API"
    )


def test_a_phone_needs_no_horizontal_scrolling(tabs, user):
    from todos.tests.factories import TodoFactory

    TodoFactory(owner=user, title="A rather long title " * 8, due_date="2020-01-01")
    tab = tabs(viewport=PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    for path in ("/", "/accounts/signup/", "/accounts/login/"):
        page.goto(path)
        assert fits_the_width(page), path
    log_in(page, user.email, DEFAULT_PASSWORD)
    for path in ("/todos/", "/accounts/profile/", "/accounts/password/change/"):
        page.goto(path)
        assert fits_the_width(page), path
    page.goto("/todos/")
    page.locator("#todo-list a", has_text="Edit").first.click()
    assert fits_the_width(page)
    assert tab.problems == []


def test_focus_is_visible(tabs):
    tab = tabs()
    page = tab.page
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_the_browser_enforces_the_policy_and_the_tests_see_it(tabs):
    tab = tabs()
    page = tab.page
    page.goto("/accounts/login/")
    with pytest.raises(sync_api.Error):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in problem for problem in tab.problems)


def test_the_admin_works_under_the_policy(tabs):
    staff = UserFactory(is_staff=True, is_superuser=True)
    tab = tabs()
    page = tab.page
    page.goto("/admin/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/todos/todo/add/")
    expect(page.get_by_role("heading", name="Add todo")).to_be_visible()
    assert [problem for problem in tab.problems if "Content Security Policy" in problem] == []


def test_the_api_docs_work_under_their_policy(tabs):
    tab = tabs()
    page = tab.page
    page.goto("/api/docs/")
    expect(page.get_by_text("Todo API").first).to_be_visible()
    page.goto("/api/redoc/")
    expect(page.get_by_text("Todo API").first).to_be_visible()
