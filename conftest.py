"""
Test-wide setup: production settings (debug off),
clients that arrive over https through the platform proxy (X-Forwarded-Proto), and a clean cache.
"""

import copy
import os
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import connections
from django.test import Client, override_settings
from django_redis.cache import RedisCache
from rest_framework.test import APIClient
from whitenoise.middleware import WhiteNoiseMiddleware

from accounts.models import User
from accounts.tests.factories import UserFactory
from tests.clients import make_client
from tests.workers import once_per_run

Made = TypeVar("Made")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """
    With pytest-xdist's ``--dist loadgroup`` (make test), the tests of a
    module that share a module-scoped fixture (servers, a browser, a schema)
    run on one worker, which sets it up once; the others go to any worker.
    """
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures and any(
            definitions[-1].scope == "module" for definitions in fixtures.name2fixturedefs.values()
        ):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(autouse=True, scope="session")
def _grouped_as_marked(request: pytest.FixtureRequest) -> None:
    """
    Every test errors, rather than each worker quietly setting up every
    server and browser, if pytest-xdist did not group the tests (it marks a
    grouped test's id with ``@group``; pytest 9.2 dropped that, pytest-xdist#1386).
    """
    if getattr(request.config.option, "loadgroup", False):
        ungrouped = [
            item.nodeid
            for item in request.session.items
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid
        ]
        if ungrouped:
            pytest.fail(
                f"--dist loadgroup did not group {ungrouped[0]} (and {len(ungrouped) - 1} more): "
                "this pytest and pytest-xdist disagree on node ids (see requirements-dev.in)"
            )


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request: pytest.FixtureRequest) -> None:
    """
    A test database per xdist worker (``test_NAME_gw0``), as pytest-django's
    fixture of this name makes, but not for SQLite: its test database is in
    memory, so each process's own already, and pytest-django, not seeing that
    django_prometheus's engine is SQLite, would name a file after the path.
    """
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    for alias, database in settings.DATABASES.items():
        if worker and connections[alias].vendor != "sqlite":
            test = database.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{worker}"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_keys() -> Iterator[None]:
    """
    Cache keys of this test process only: the xdist workers (and any other
    run) share REDIS_URL's database, and one clearing its throttle counts
    must leave the others' alone.
    """
    own = copy.deepcopy(settings.CACHES)
    own[DEFAULT_CACHE_ALIAS]["KEY_PREFIX"] = f"pytest-{os.getpid()}"
    with override_settings(CACHES=own):
        yield


@pytest.fixture(autouse=True, scope="session")
def _argon2_at_test_cost() -> Iterator[None]:
    """
    Passwords are still hashed and checked with Argon2, production's hasher
    (settings.PASSWORD_HASHERS is untouched), at the lowest cost it takes:
    at production's cost each hash is a quarter of a second of CPU, hundreds
    of them in a run. Processes that a test starts (live servers) hash at
    production's cost.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Argon2PasswordHasher, "time_cost", 1)
        patch.setattr(Argon2PasswordHasher, "memory_cost", 8)
        patch.setattr(Argon2PasswordHasher, "parallelism", 1)
        yield


def clear_own_cache() -> None:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        backend.delete_pattern("*", itersize=1000)  # this process's prefix, not FLUSHDB
    else:
        backend.clear()  # local memory: this process's alone


@pytest.fixture(autouse=True)
def _clean_cache(_own_cache_keys: None) -> Iterator[None]:
    """Throttle counts live in the cache; every test starts with none."""
    clear_own_cache()
    yield
    clear_own_cache()


@pytest.fixture(scope="module")
def shared_by_the_module(
    django_db_setup: None, django_db_blocker
) -> Iterator[Callable[[Callable[[list[User]], Made]], Made]]:
    """
    ``share(make)`` for a module-scoped fixture: ``make(accounts)`` makes rows
    the module's tests share, once, committed outside their transactions (each
    test's own writes still roll back), and appends every account it makes to
    ``accounts``. Those accounts, and all they own, are deleted at the
    module's end, however ``make`` or the tests ended. The database is open
    only to ``make`` and the deletion, not to the tests.
    """
    accounts: list[User] = []

    def share(make: Callable[[list[User]], Made]) -> Made:
        with django_db_blocker.unblock():
            return make(accounts)

    yield share
    with django_db_blocker.unblock():
        User.objects.filter(pk__in=[account.pk for account in accounts]).delete()


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
def _static_files(tmp_path_factory: pytest.TempPathFactory) -> None:
    """
    Hashed static files in STATIC_ROOT, as the image build makes them, once
    per run: for whitenoise in every xdist worker, and for the processes the
    tests start (production settings, whose pages fail to render without the
    manifest).
    """
    from django.core.management import call_command

    def collect() -> None:
        # Hashed and listed in the manifest as the image's are, but not also
        # gzipped: no test reads a compressed copy, and compressing was two
        # CPU-seconds of every run while the other workers waited. --clear,
        # so no compressed copy of an older file is left to be served.
        hashed_only = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": hashed_only}):
            call_command("collectstatic", interactive=False, clear=True, verbosity=0)

    once_per_run(tmp_path_factory, "collectstatic", collect)


@pytest.fixture(autouse=True, scope="session")
def _static_files_scanned_once(_static_files: None) -> Iterator[None]:
    """
    Every test client loads the middleware afresh, and WhiteNoise's reads the
    name, headers and compressed variants of every file in STATIC_ROOT each
    time: a tenth of a second per client, over half the suite's CPU. The files
    are collected once per run, so each process scans them once per
    configuration (the settings WhiteNoise reads), and every middleware serves
    from that scan: the same files with the same headers.
    """
    scanned: dict[tuple[object, ...], dict[str, object]] = {}
    scan = WhiteNoiseMiddleware.update_files_dictionary

    def scan_once(middleware: WhiteNoiseMiddleware, root: str, prefix: str) -> None:
        read = ("DEBUG", "STATIC_URL", "STORAGES", "FORCE_SCRIPT_NAME")
        configuration = tuple(
            (name, repr(getattr(settings, name, None)))
            for name in dir(settings)
            if name in read or name.startswith("WHITENOISE_")
        )
        key = (root, prefix, configuration)
        if key not in scanned:
            own, middleware.files = middleware.files, {}
            scan(middleware, root, prefix)
            scanned[key], middleware.files = middleware.files, own
        middleware.files.update(scanned[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "update_files_dictionary", scan_once)
        yield
