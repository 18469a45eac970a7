"""
What a process would otherwise do on its first request, done when it loads
the WSGI application: import every view through the URLconf, the classes
DRF and simplejwt name in settings, and each cache's backend.

Under gunicorn's ``preload_app`` the master does it once and every worker
forks with it done, so a fresh worker (one is recycled every thousand or so
requests) answers its first request in milliseconds, not half a second of
imports while requests queue behind it. Nothing here connects to anything:
a connection made before the fork would be shared by every worker.
"""

from django.core.cache import caches
from django.urls import get_resolver
from rest_framework.settings import api_settings
from rest_framework_simplejwt.settings import api_settings as jwt_settings


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, and with it every view
    for configured in (api_settings, jwt_settings):
        for name in configured.import_strings:
            getattr(configured, name)
    # A backend object only: django-redis connects on the first command.
    caches.all()
