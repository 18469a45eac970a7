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


# Paths that are themselves a key: a calendar feed's address, and the links
# mailed to verify an address, reset a password or unsubscribe from reminders.
# The key is the path segment after one of these (the reset link's after its
# account's id); "resend/" and Django's "set-password/" step carry none.
SECRET_PATH_PREFIXES = (
    "/calendar/",
    "/reminders/unsubscribe/",
    "/accounts/verify/(?!resend/)",
    "/accounts/password/reset/[^/\\s]+/(?!set-password/)",
)
# Found anywhere in a text (a log message, a request line, a URL): at its
# start or after a space or quote, with the scheme and host of a URL if any,
# so "/accounts/profile/calendar/on/" stays as it is. ``.ics`` is kept.
SECRET_PATHS = re.compile(
    rf"""(?:^|(?<=[\s'"(<=]))((?:https?://[^/\s'"]+)?(?:{"|".join(SECRET_PATH_PREFIXES)}))"""
    r"""[^/\s'"?#]+?(?=(?:\.ics)?(?:[/\s'"?#>)]|$))"""
)


def mask_secret_paths(text: str) -> str:
    """
    ``/calendar/<secret>.ics`` → ``/calendar/***.ics``, wherever in ``text``;
    the one mask of the access log, every log line, Sentry and gunicorn's
    access log. Anything else as it is.
    """
    return SECRET_PATHS.sub(r"\1***", text)


def is_secret_path(path: str) -> bool:
    return SECRET_PATHS.search(path) is not None


def is_api_endpoint_path(path: str) -> bool:
    return path.startswith(API_ENDPOINTS_PREFIX)
