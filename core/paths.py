"""
The URL paths that the middleware, the logs and the settings treat specially.

Plain constants with no Django import, so the settings module can use them.
"""

import re

API_PREFIX = "/api/"
# The API's endpoints (bearer tokens, JSON): they skip the pages' middleware.
# The schema and the docs pages beside them under API_PREFIX keep it.
API_ENDPOINTS_PREFIX = f"{API_PREFIX}v1/"
HEALTH_PATH = "/health"
METRICS_PATH = "/metrics"
# Probes answer with and without the trailing slash.
HEALTH_PATHS = frozenset({HEALTH_PATH, f"{HEALTH_PATH}/"})
METRICS_PATHS = frozenset({METRICS_PATH, f"{METRICS_PATH}/"})
PROBE_PATHS = HEALTH_PATHS | METRICS_PATHS
# SecurityMiddleware matches SECURE_REDIRECT_EXEMPT against the path without its leading slash.
PROBE_REDIRECT_EXEMPT = [rf"^{path.lstrip('/')}/?$" for path in (HEALTH_PATH, METRICS_PATH)]


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


# Paths that are themselves a key (a reminder mail's unsubscribe link, a
# calendar feed's address): the access log shows them with the key masked.
SECRET_PATHS = re.compile(r"^(/reminders/unsubscribe/|/calendar/)[^/]+?(/|\.ics)?$")


def loggable_path(path: str) -> str:
    """``/calendar/<secret>.ics`` → ``/calendar/***.ics``; any other path as it is."""
    return SECRET_PATHS.sub(lambda match: f"{match[1]}***{match[2] or ''}", path)


def is_api_endpoint_path(path: str) -> bool:
    return path.startswith(API_ENDPOINTS_PREFIX)
