"""Pages that check or reset a password, and the admin's login, spend the API's ``auth`` budget."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_throttling import with_rates
from accounts.tests.utils import TOKEN
from tests.clients import make_client

pytestmark = pytest.mark.django_db

PAGE_POSTS = {
    "signup": ("/accounts/signup/", {"email": "bad"}),
    "login": ("/accounts/login/", {"username": "a@example.com", "password": "x"}),
    "password reset": ("/accounts/password/reset/", {"email": "nobody@example.com"}),
    "admin login": ("/admin/login/", {"username": "a@example.com", "password": "x"}),
}


@pytest.mark.parametrize("name", PAGE_POSTS)
def test_a_page_shares_the_budget_with_the_api_and_answers_a_429_page(browser, name):
    path, data = PAGE_POSTS[name]
    api = make_client()
    with with_rates(auth="3/min"):
        assert api.post(TOKEN, {"email": "a@example.com", "password": "x"}).status_code == 401
        assert browser.post(path, data).status_code in {200, 302}
        assert browser.post(path, data).status_code in {200, 302}
        refused = browser.post(path, data)
        # And the API is out of budget too: one budget per IP.
        assert api.post(TOKEN, {"email": "a@example.com", "password": "x"}).status_code == 429
        # Reading the page is not a password check.
        assert browser.get(path).status_code == 200
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()


def test_the_admin_login_no_longer_takes_unlimited_wrong_passwords(browser):
    staff = UserFactory.create(is_staff=True)
    with with_rates(auth="10/min"):
        answers = [
            browser.post(
                "/admin/login/", {"username": staff.email, "password": f"guess-{n}"}
            ).status_code
            for n in range(12)
        ]
        # The right password is refused too while the budget is spent.
        right = browser.post(
            "/admin/login/", {"username": staff.email, "password": DEFAULT_PASSWORD}
        )
    assert answers == [200] * 10 + [429] * 2
    assert right.status_code == 429


def test_password_change_and_reset_confirm_posts_count_too(signed_in, browser):
    with with_rates(auth="2/min"):
        signed_in.post("/accounts/password/change/", {})
        browser.post("/accounts/password/reset/MQ/set-password/", {})
        assert signed_in.post("/accounts/password/change/", {}).status_code == 429


def test_the_admin_password_change_spends_the_budget_too(browser):
    """It checks the old password: twelve wrong tries were all answered 200."""
    staff = UserFactory.create(is_staff=True)
    browser.force_login(staff)
    wrong = {"old_password": "guess", "new_password1": "x-1815-y", "new_password2": "x-1815-y"}
    with with_rates(auth="3/min"):
        answers = [browser.post("/admin/password_change/", wrong).status_code for _ in range(4)]
        # Reading the form is not a password check.
        assert browser.get("/admin/password_change/").status_code == 200
    assert answers == [200] * 3 + [429]


def test_the_admin_password_change_still_asks_to_sign_in_first(browser):
    response = browser.post("/admin/password_change/", {"old_password": "guess"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
