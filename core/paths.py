"""
The URL paths that the middleware, the logs and the settings treat specially.

Plain constants with no Django import, so the settings module can use them.
"""

API_PREFIX = "/api/"
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
