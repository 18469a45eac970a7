"""
A new password meets Django's validators in one place, accounts.services:
the API and the pages refuse the same password with the same messages.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tests.utils import PASSWORD_CHANGE, PASSWORD_RESET_CONFIRM
from core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db

PAGE_PASSWORD_CHANGE = "/accounts/password/change/"
# Too short, too common, all digits, like the address (the user's own rules).
WEAK_PASSWORDS = ["Ab3!xyz", "password1", "8473629105", "jonathansmithers"]


@pytest.fixture
def jonathan(user):
    user.email = "jonathan.smithers@example.com"
    user.save(update_fields=["email"])
    return user


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_the_api_and_the_page_refuse_a_weak_new_password_alike(
    auth_client, signed_in, jonathan, password
):
    api = auth_client.post(
        PASSWORD_CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": password}
    )
    page = signed_in.post(
        PAGE_PASSWORD_CHANGE,
        {"old_password": DEFAULT_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert api.status_code == 400
    assert page.status_code == 200
    assert page.context["form"].errors == {"new_password2": api.json()["new_password"]}
    jonathan.refresh_from_db()
    assert jonathan.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_a_reset_refuses_a_weak_password_alike_in_the_api_and_the_page(
    api_client, browser, jonathan, password
):
    uid = urlsafe_base64_encode(force_bytes(jonathan.pk))
    token = default_token_generator.make_token(jonathan)
    api = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": token, "new_password": password}
    )
    form_address = browser.get(f"/accounts/password/reset/{uid}/{token}/")["Location"]
    page = browser.post(form_address, {"new_password1": password, "new_password2": password})
    assert api.status_code == 400
    assert page.status_code == 200
    assert page.context["form"].errors == {"new_password2": api.json()["new_password"]}
    jonathan.refresh_from_db()
    assert jonathan.check_password(DEFAULT_PASSWORD)


def test_setting_a_weak_password_changes_nothing_and_ends_no_session(jonathan):
    refresh = RefreshToken.for_user(jonathan)
    with pytest.raises(ValidationFailed) as refused:
        services.user_set_password(user=jonathan, password="jonathansmithers")
    assert refused.value.field == "password"
    assert refused.value.messages == ["The password is too similar to the email address."]
    jonathan.refresh_from_db()
    assert jonathan.check_password(DEFAULT_PASSWORD)
    outstanding = OutstandingToken.objects.get(jti=refresh["jti"])
    assert not hasattr(outstanding, "blacklistedtoken")
