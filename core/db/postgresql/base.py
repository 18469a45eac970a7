"""
PostgreSQL through django-prometheus (queries and errors counted), with a
health check that costs no round trip.

Django checks a persistent connection before its first use in each request
(``CONN_HEALTH_CHECKS``) with a ``SELECT 1``: one more query per request. An
idle connection receives nothing from the server until it sends a query, so
the check here asks the operating system instead: if the socket is readable,
the server has spoken unasked, which it does only to say goodbye (a restart,
``pg_terminate_backend``, an idle timeout) or has closed it. Either way the
connection is dropped and a fresh one opened, as after a failed ``SELECT 1``.
"""

import select

from django_prometheus.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone already
            return False
        return not readable
