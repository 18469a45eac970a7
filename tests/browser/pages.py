"""What the browser tests share: the marks, the paths, and the steps a person takes."""

import json
import urllib.request
from pathlib import Path

import pytest
from playwright import sync_api

from accounts.tests.utils import STRONG_PASSWORD

# Chromium's headless shell, the build Playwright itself runs headless tests on:
# the browser's engine without its window layer (these tests took 25 CPU-seconds
# with it, 44 with the whole browser).
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Every wait is bounded: a broken page fails in seconds, not at CI's deadline.
TIMEOUT_MS = 10_000

# Every browser test module's pytestmark.
BROWSER_TEST = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser test: needs Debian's Chromium headless shell at "
        f"{CHROMIUM} (apt-get install chromium-headless-shell; .ci/run installs it)",
    ),
    pytest.mark.django_db(transaction=True),
]


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


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def serious_violations(page) -> dict[str, list[str]]:
    """
    axe-core's WCAG 2 A/AA rules on the page in the light and then the dark
    colour scheme: the serious and critical findings, by scheme (none: ``{}``).
    The page is audited as it stands, so both audits see the same state.
    Every rule runs on every node; ``resultTypes`` only keeps axe from listing
    each node that passed (its documented way to run faster).
    """
    page.add_script_tag(path=str(AXE))
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        result = page.evaluate(
            "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        assert len(result["passes"]) > 10, "axe ran no rules"
        found[scheme] = [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
            for violation in result["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
    return {scheme: problems for scheme, problems in found.items() if problems}
