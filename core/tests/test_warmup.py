"""
Loading the WSGI application does the first request's imports: a worker
forked from gunicorn's preloading master starts with them done.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Loads the application as gunicorn does, then serves one API request (a 401:
#: no database, no cache) with the headers given as JSON in argv[1], and
#: reports what that request had to import.
FIRST_REQUEST = """
import io, json, sys
from config.wsgi import application
from django.core.cache import caches
from django.db import connections

connected = [alias for alias in connections if connections[alias].connection is not None]
before = set(sys.modules)
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/api/v1/todos/", "QUERY_STRING": "",
    "SERVER_NAME": "testserver", "SERVER_PORT": "443", "HTTP_HOST": "testserver",
    "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "https",
    "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    **json.loads(sys.argv[1]),
}
statuses = []
b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
print(json.dumps({
    "connected": connected,
    "caches": len(caches.all(initialized_only=True)),
    "status": statuses[0],
    "imported": sorted(set(sys.modules) - before),
}))
"""

#: Packages whose modules a warm process has already imported.
WARMED = {
    "accounts",
    "config",
    "core",
    "todos",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "django_filters",
    "django_redis",
    "jwt",
}


def first_request(headers: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST, json.dumps(headers)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "warm-up-test-" * 4,
            "DJANGO_ALLOWED_HOSTS": "testserver",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict = json.loads(result.stdout.splitlines()[-1])
    return report


def test_the_first_request_of_a_fresh_process_imports_nothing_of_the_project_or_drf():
    report = first_request({})

    assert report["status"] == "401 Unauthorized"
    assert [name for name in report["imported"] if name.split(".")[0] in WARMED] == []
    # Warmed without connecting: a connection made before the fork would be
    # shared by every worker.
    assert report["connected"] == []
    assert report["caches"] >= 1


def test_the_first_bearer_token_of_a_fresh_process_imports_nothing():
    """simplejwt imports its token backend (and PyJWT) when it first decodes a token."""
    report = first_request({"HTTP_AUTHORIZATION": "Bearer not.a.token"})

    assert report["status"] == "401 Unauthorized"
    assert [name for name in report["imported"] if name.split(".")[0] in WARMED] == []
    assert report["connected"] == []
