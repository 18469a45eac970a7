"""
The web app in a real browser: Debian's Chromium driven by Playwright against
pytest-django's live server, with JavaScript on and off, at desktop and phone
width, in the light and the dark scheme, audited by axe-core; two people in
two browser contexts share a list. The tests write the README's screenshots
into docs/screenshots/.

axe-core is vendored as ``tests/axe.min.js`` (the npm package ``axe-core``
4.14.1, MPL-2.0, unchanged).
"""

import json
import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core import mail

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.utils import STRONG_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
AXE = Path(__file__).with_name("axe.min.js")
SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Every wait is bounded: a broken page fails in seconds, not at CI's deadline.
TIMEOUT_MS = 10_000

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser test: needs Debian's Chromium at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run installs it)",
    ),
    pytest.mark.django_db(transaction=True),
]

sync_api = pytest.importorskip("playwright.sync_api")
if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def chromium() -> Iterator["Browser"]:
    # Playwright's sync API runs an event loop in this thread; the tests'
    # own ORM calls (factories) are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_api.sync_playwright().start()
    # Root in a container: Chromium's sandbox needs user namespaces it may not have.
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    yield launched
    launched.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE")
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def site(django_db_setup) -> Iterator[str]:
    """
    pytest-django's live server over plain http (it has no TLS), started after
    these settings so its middleware sees them: production settings
    otherwise, static files served unhashed by the server's own handler.
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    plain_http = override_settings(
        ALLOWED_HOSTS=["localhost"],
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with plain_http:
        server = LiveServer("localhost")
        yield server.url
        server.stop()


class Tab:
    """A page of a fresh browser context, with the console's complaints collected."""

    def __init__(self, browser, site: str, **options) -> None:
        self.context = browser.new_context(base_url=site, **options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(message.text)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tabs(chromium, site) -> Iterator:
    opened: list[Tab] = []

    def open_tab(**options) -> Tab:
        tab = Tab(chromium, site, **options)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def expect(locator):
    return sync_api.expect(locator)


def sign_up(page, email: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Password", exact=True).fill(STRONG_PASSWORD)
    page.get_by_label("Password confirmation").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    # The same page for a new and a taken address; nobody is signed in by it.
    page.wait_for_url("**/accounts/signup/sent/")
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    log_in(page, email)


def log_in(page, email: str, password: str = STRONG_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/todos/")


def item(page, title: str):
    return page.locator("#todo-list > li").filter(has=page.get_by_text(title, exact=True))


def add(page, title: str, *, due: str = "") -> None:
    page.get_by_label("Title").fill(title)
    if due:
        page.get_by_label("Due date").fill(due)
    page.get_by_role("button", name="Add").click()
    expect(item(page, title)).to_be_visible()


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


def api(site: str, method: str, path: str, body: dict | None = None, token: str = "") -> dict:
    request = urllib.request.Request(  # noqa: S310 (the live server's http URL)
        site + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read() or b"{}")


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


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


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


def serious_violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA rules on the page: the serious and critical findings."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert len(result["passes"]) > 10, "axe ran no rules"
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious(tabs, user, scheme):
    from todos.tests.factories import TodoFactory

    TodoFactory(owner=user, title="Overdue thing", due_date="2020-01-01")
    TodoFactory(owner=user, title="Done thing", done=True)
    # The audit injects its script: this context alone is let past the policy.
    tab = tabs(color_scheme=scheme, bypass_csp=True)
    page = tab.page
    found = {}
    for path in ("/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"):
        page.goto(path)
        found[path] = serious_violations(page)
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()  # every error shown
    found["signup with errors"] = serious_violations(page)
    log_in(page, user.email, DEFAULT_PASSWORD)
    todo = item(page, "Overdue thing")
    for path in ("/todos/", "/accounts/profile/", "/accounts/password/change/"):
        page.goto(path)
        found[path] = serious_violations(page)
    page.goto("/todos/")
    todo.get_by_role("link", name="Edit").click()
    found["edit in place"] = serious_violations(page)
    page.goto("/todos/?search=nothing-matches")
    found["empty"] = serious_violations(page)
    assert {path: problems for path, problems in found.items() if problems} == {}


SHOTS = {"home": "/", "signup": "/accounts/signup/", "todos": "/todos/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots(tabs, user, device, scheme):
    """The README's pictures of the main pages (docs/screenshots/), remade on every run."""
    from todos.tests.factories import TodoFactory

    # The everyday page: a verified account shows no notice.
    user.email, user.name, user.email_verified = "ada@example.com", "Ada Lovelace", True
    user.save()
    for title, due, done in [
        ("Renew the passport", "2020-03-01", False),
        ("Book the train to Lyon", "2031-06-12", False),
        ("Water the plants", None, True),
        ("Write the quarterly report", "2031-07-01", False),
    ]:
        TodoFactory(owner=user, title=title, due_date=due, done=done, description="")
    viewport = DESKTOP if device == "desktop" else PHONE
    tab = tabs(viewport=viewport, color_scheme=scheme, is_mobile=device == "phone")
    page = tab.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("home", "signup"):
        page.goto(SHOTS[name])
        page.screenshot(path=SCREENSHOTS / f"{name}-{device}-{scheme}.png", full_page=True)
    log_in(page, user.email, DEFAULT_PASSWORD)
    page.goto(SHOTS["todos"])
    page.screenshot(path=SCREENSHOTS / f"todos-{device}-{scheme}.png", full_page=True)
    assert (SCREENSHOTS / f"todos-{device}-{scheme}.png").stat().st_size > 0
    assert tab.problems == []


def test_profile_presets_the_browsers_zone_and_copies_the_feed_address(tabs, user):
    tab = tabs(timezone_id="Asia/Tokyo", permissions=["clipboard-read", "clipboard-write"])
    page = tab.page
    log_in(page, user.email, DEFAULT_PASSWORD)
    page.goto("/accounts/profile/")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"

    page.get_by_role("button", name="Turn on").click()
    address = page.get_by_label("Your feed's address").input_value()
    assert "/calendar/" in address
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#calendar-feed-url-copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert fits_the_width(page)
    assert tab.problems == []


def test_profile_without_javascript_keeps_the_zone_and_hides_copy(tabs, user):
    page = tabs(timezone_id="Asia/Tokyo", java_script_enabled=False).page
    log_in(page, user.email, DEFAULT_PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    expect(page.get_by_role("button", name="Copy")).to_be_hidden()
    expect(page.get_by_role("button", name="Reset")).to_be_visible()
    expect(page.get_by_role("button", name="Turn off")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_calendar_feed_card_has_no_serious_accessibility_finding(tabs, user, scheme):
    page = tabs(color_scheme=scheme, bypass_csp=True).page
    log_in(page, user.email, DEFAULT_PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("button", name="Copy")).to_be_visible()

    assert serious_violations(page) == []


# --- Lists: two people share one (issue 19) --------------------------------------


def log_in_from_here(page, email: str) -> None:
    """Log in on the log-in page the browser is on (it returns to where it was sent from)."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def make_shared_list(page, friend_email: str) -> None:
    """As the owner: a list "Flat" with a todo, shared with ``friend_email`` as editor."""
    page.get_by_label("New list").fill("Flat")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flat")
    page.get_by_label("Title").fill("Take the bins out")
    page.get_by_role("button", name="Add").click()
    expect(item(page, "Take the bins out")).to_be_visible()
    page.get_by_role("link", name="Sharing and settings").click()
    page.get_by_label("Email address").fill(friend_email)
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invited {friend_email}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_one_shares_a_list_the_other_accepts_from_the_mail_and_both_edit(tabs, javascript):
    suffix = "js" if javascript else "nojs"
    owner = UserFactory.create(email=f"owner-{suffix}@example.com", email_verified=True)
    friend = UserFactory.create(email=f"friend-{suffix}@example.com", email_verified=True)
    mine, theirs = tabs(java_script_enabled=javascript), tabs(java_script_enabled=javascript)

    mine.page.goto("/accounts/login/?next=/todos/")
    log_in_from_here(mine.page, owner.email)
    expect(mine.page.get_by_role("heading", level=1)).to_have_text("Your todos")
    make_shared_list(mine.page, friend.email)

    (message,) = [m for m in mail.outbox if friend.email in m.to]
    link = re.search(r"https?://\S+/invitations/", str(message.body))
    assert link, message.body
    theirs.page.goto(link[0])  # signed out: through the log-in page, and back
    log_in_from_here(theirs.page, friend.email)
    expect(theirs.page).to_have_url(re.compile(r"/invitations/$"))
    theirs.page.get_by_role("button", name="Accept").click()
    expect(theirs.page.get_by_role("heading", level=1)).to_have_text("Flat")
    bins = item(theirs.page, "Take the bins out")
    expect(bins).to_be_visible()

    # The friend (an editor) ticks it; the owner sees it on reload.
    bins.get_by_role("checkbox").check()
    if not javascript:
        bins.get_by_role("button", name="Save").click()
    expect(item(theirs.page, "Take the bins out")).to_have_class(re.compile(r"\bdone\b"))
    mine.page.goto("/todos/")
    expect(item(mine.page, "Take the bins out").get_by_role("checkbox")).to_be_checked()

    # The owner adds one from the list's page; the friend sees it on reload.
    mine.page.get_by_role("navigation", name="Lists").get_by_role("link", name="Flat").click()
    mine.page.get_by_label("Title").fill("Buy soap")
    mine.page.get_by_role("button", name="Add").click()
    expect(item(mine.page, "Buy soap")).to_be_visible()
    theirs.page.reload()
    expect(item(theirs.page, "Buy soap")).to_be_visible()
    assert mine.problems == []
    assert theirs.problems == []


def test_a_viewer_sees_no_controls(tabs):
    from lists.models import Role
    from lists.tests.factories import ListFactory, share
    from todos.tests.factories import TodoFactory

    viewer = UserFactory.create(email="viewer@example.com")
    flat = ListFactory.create(name="Flat")
    share(flat, viewer, Role.VIEWER)
    TodoFactory.create(owner=flat.owner, list=flat, title="Read only")
    page = tabs().page
    page.goto(f"/lists/{flat.pk}/")
    log_in_from_here(page, viewer.email)
    expect(item(page, "Read only")).to_be_visible()
    expect(page.locator("#add-form")).to_have_count(0)
    expect(item(page, "Read only").get_by_role("checkbox")).to_have_count(0)
    expect(item(page, "Read only").get_by_role("button")).to_have_count(0)


def shared_setup():
    from lists.models import Role
    from lists.tests.factories import ListFactory, share
    from todos.tests.factories import TodoFactory

    owner = UserFactory.create(email="ada@example.com", name="Ada Lovelace", email_verified=True)
    flat = ListFactory.create(owner=owner, name="Flat 3B")
    share(flat, UserFactory.create(email="grace@example.com", name="Grace Hopper"), Role.EDITOR)
    share(flat, UserFactory.create(email="alan@example.com", name="Alan Turing"), Role.VIEWER)
    flat.invitations.create(
        email="katherine@example.com",
        role=Role.VIEWER,
        invited_by=owner,
        expires_at="2031-01-08T12:00Z",
    )
    for title, due, done in [
        ("Take the bins out", "2031-06-12", False),
        ("Buy washing-up liquid", None, False),
        ("Pay the electricity bill", "2031-07-01", True),
    ]:
        TodoFactory(owner=owner, list=flat, title=title, due_date=due, done=done, description="")
    TodoFactory(owner=owner, title="Renew the passport", due_date="2031-03-01", description="")
    return owner, flat


def test_the_list_pages_are_axe_clean_at_phone_width(tabs):
    owner, flat = shared_setup()
    friend = UserFactory.create(email="invited@example.com", email_verified=True)
    flat.invitations.create(
        email=friend.email, role="editor", invited_by=owner, expires_at="2031-01-08T12:00Z"
    )
    found = {}
    for scheme in ("light", "dark"):
        page = tabs(viewport=PHONE, is_mobile=True, color_scheme=scheme, bypass_csp=True).page
        page.goto("/accounts/login/")
        log_in_from_here(page, owner.email)
        for path in ("/todos/", f"/lists/{flat.pk}/", f"/lists/{flat.pk}/sharing/"):
            page.goto(path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            found[f"{scheme} {path}"] = serious_violations(page)
        other = tabs(viewport=PHONE, is_mobile=True, color_scheme=scheme, bypass_csp=True).page
        other.goto("/invitations/")
        log_in_from_here(other, friend.email)
        found[f"{scheme} /invitations/"] = serious_violations(other)
    assert {path: problems for path, problems in found.items() if problems} == {}


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_sharing(tabs, device):
    """The README's pictures of a shared list and its sharing page (docs/screenshots/)."""
    owner, flat = shared_setup()
    options = {"viewport": PHONE, "is_mobile": True} if device == "phone" else {}
    page = tabs(color_scheme="light", **options).page
    page.goto("/accounts/login/")
    log_in_from_here(page, owner.email)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"/lists/{flat.pk}/")
    page.screenshot(path=SCREENSHOTS / f"shared-list-{device}-light.png", full_page=True)
    page.goto(f"/lists/{flat.pk}/sharing/")
    page.screenshot(path=SCREENSHOTS / f"sharing-{device}-light.png", full_page=True)
    assert (SCREENSHOTS / f"sharing-{device}-light.png").stat().st_size > 0
