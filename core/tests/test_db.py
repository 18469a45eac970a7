"""The PostgreSQL health check: a connection the server ended is never reused."""

import time

import pytest
from django.db import connection, connections
from prometheus_client import REGISTRY

from tests.live.environment import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def queries_sent() -> float:
    """Every statement sent on a connection, counted by django-prometheus's cursors."""
    labels = {"alias": "default", "vendor": "postgresql"}
    return REGISTRY.get_sample_value("django_db_execute_total", labels) or 0.0


def test_an_open_idle_connection_is_usable_without_a_query():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    sent = queries_sent()
    assert connection.is_usable()
    assert queries_sent() == sent


def test_a_connection_the_server_ended_is_unusable_and_replaced():
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    finally:
        other.close()

    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()

    # What Django does between requests (close_old_connections), then before
    # the next one's first query: the check fails, a new connection is opened.
    connection.close_if_unusable_or_obsolete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend_pid


def test_a_closed_connection_is_unusable():
    connection.ensure_connection()
    raw = connection.connection
    raw.close()
    assert not connection.is_usable()
    connection.connection = None
    connection.close()
