"""
The browser tests' Chromium and live server, one of each per test module, so
that pytest-xdist runs the modules on different workers side by side.
"""

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright import sync_api

from tests.browser.pages import CHROMIUM, TIMEOUT_MS

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
