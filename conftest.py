"""
Test-wide setup: production settings (debug off),
clients that arrive over https through the platform proxy (X-Forwarded-Proto), and a clean cache.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from tests.clients import make_client


@pytest.fixture(autouse=True)
def _clean_cache():
    """Throttle counts live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    """An anonymous client."""
    return make_client()


@pytest.fixture
def user(db):
    return UserFactory.create()


@pytest.fixture
def auth_client(user) -> APIClient:
    """A client signed in as ``user`` with a real access token."""
    return make_client(user)


@pytest.fixture
def browser() -> Client:
    """An anonymous browser on the web pages, over https through the proxy."""
    return Client(HTTP_X_FORWARDED_PROTO="https")


@pytest.fixture
def signed_in(user) -> Client:
    """A browser with ``user``'s session."""
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    return client


@pytest.fixture
def other_user(db):
    return UserFactory.create()


@pytest.fixture
def other_client(other_user) -> APIClient:
    return make_client(other_user)


@pytest.fixture(autouse=True, scope="session")
def _static_files(tmp_path_factory):
    """Collect static files once, as the image build does, so whitenoise serves them."""
    from django.conf import settings
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    call_command("collectstatic", interactive=False, verbosity=0)
