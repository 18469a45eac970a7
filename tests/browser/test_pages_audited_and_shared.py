"""
The pages in a real browser, audited and photographed: axe-core at desktop and
phone width in the light and the dark scheme, the README's screenshots
(written into docs/screenshots/), the profile's time zone and calendar feed,
and two people in two browser contexts sharing a list.

axe-core is vendored as ``tests/axe.min.js`` (the npm package ``axe-core``
4.14.1, MPL-2.0, unchanged).
"""

import re

import pytest
from django.core import mail

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.browser.pages import (
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    expect,
    fits_the_width,
    item,
    log_in,
    serious_violations,
)

pytestmark = BROWSER_TEST

# Readable in the light scheme; grey on black in the dark one.
DARK_ONLY_LOW_CONTRAST = """<!doctype html>
<html lang="en"><head><title>Audit check</title>
<style>@media (prefers-color-scheme: dark) { body { background: #000 } p { color: #222 } }</style>
</head><body><header><nav><a href="/">Home</a></nav></header><main><h1>Audit check</h1>
<p>Only the dark scheme hides this.</p>
<form><label for="name">Name</label><input id="name"><button>Save</button></form>
<ul><li>one</li></ul><table><tr><th>Head</th></tr><tr><td>Cell</td></tr></table>
</main></body></html>"""


def test_the_audit_finds_what_only_the_dark_scheme_gets_wrong(chromium):
    page = chromium.new_page()
    page.set_content(DARK_ONLY_LOW_CONTRAST)
    found = serious_violations(page)
    page.close()
    assert list(found) == ["dark"]
    assert found["dark"][0].startswith("color-contrast:")


def test_axe_finds_nothing_serious(tabs, user):
    from todos.tests.factories import TodoFactory

    TodoFactory(owner=user, title="Overdue thing", due_date="2020-01-01")
    TodoFactory(owner=user, title="Done thing", done=True)
    # The audit injects its script: this context alone is let past the policy.
    tab = tabs(bypass_csp=True)
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


def test_the_calendar_feed_card_has_no_serious_accessibility_finding(tabs, user):
    page = tabs(bypass_csp=True).page
    log_in(page, user.email, DEFAULT_PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("button", name="Copy")).to_be_visible()

    assert serious_violations(page) == {}


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
    page = tabs(viewport=PHONE, is_mobile=True, bypass_csp=True).page
    page.goto("/accounts/login/")
    log_in_from_here(page, owner.email)
    for path in ("/todos/", f"/lists/{flat.pk}/", f"/lists/{flat.pk}/sharing/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        found[path] = serious_violations(page)
    other = tabs(viewport=PHONE, is_mobile=True, bypass_csp=True).page
    other.goto("/invitations/")
    log_in_from_here(other, friend.email)
    found["/invitations/"] = serious_violations(other)
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
