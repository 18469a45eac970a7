"""
What a process would otherwise do on its first request, done when it loads
the WSGI application: import every view through the URLconf and compile its
patterns, import the classes DRF and simplejwt name in settings and
simplejwt's token backend (with PyJWT), and make each cache's backend.

Under gunicorn's ``preload_app`` the master does it once and every worker
forks with it done, so a fresh worker (at boot, or one recycled after
max_requests) answers its first request in milliseconds, not half a second of
imports while requests queue behind it. Nothing here connects to anything:
a connection made before the fork would be shared by every worker.
"""

from collections.abc import Iterable

from django.core.cache import caches
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string
from rest_framework.settings import api_settings
from rest_framework_simplejwt.settings import api_settings as jwt_settings


def warm_up() -> None:
    resolver = get_resolver()
    compile_patterns([resolver])  # imports the URLconf, and with it every view
    for configured in (api_settings, jwt_settings):
        for name in configured.import_strings:
            getattr(configured, name)
    # Imported by the first request that carries a bearer token.
    import_string("rest_framework_simplejwt.state.token_backend")
    # A backend object only: django-redis connects on the first command.
    caches.all()


def compile_patterns(entries: Iterable[URLPattern | URLResolver]) -> None:
    """Compile every URL pattern, which Django does on the first request that tries it."""
    for entry in entries:
        entry.pattern.regex  # noqa: B018 - compiled and kept on first access
        if isinstance(entry, URLResolver):
            compile_patterns(entry.url_patterns)
