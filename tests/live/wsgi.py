"""
Python children that load the real settings and call ``config.wsgi`` as
gunicorn would, for behaviour fixed when settings load (Sentry, multiprocess
metrics, logging) without a server: the script passed in has ``call(method,
path, body=b"", **environ)``, which returns ``(status, body text)``.
"""

import subprocess
import sys
from pathlib import Path

from tests.live.environment import server_env
from tests.live.processes import ManagedProcess
from tests.live.stack import Stack

WSGI_HOST = "api.example.com"

WSGI_CALL = f"""
import io, json, wsgiref.util
from config.wsgi import application

def call(method, path, body=b"", **environ):
    environ = {{"HTTP_HOST": "{WSGI_HOST}", "HTTP_X_FORWARDED_PROTO": "https", **environ,
               "REQUEST_METHOD": method, "PATH_INFO": path,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}}
    wsgiref.util.setup_testing_defaults(environ)
    started = []
    result = application(environ, lambda status, headers, exc_info=None: started.append(status))
    try:
        content = b"".join(result)
    finally:
        result.close()
    return int(started[0].split()[0]), content.decode()
"""


def child_env(directory: Path, **overrides: str | None) -> dict[str, str]:
    """
    ``server_env`` on a throwaway SQLite file in ``directory``, for
    ``WSGI_HOST``, without Redis: for children that need no PostgreSQL.
    """
    return server_env(
        f"sqlite:///{directory / 'child.sqlite3'}",
        **{"DJANGO_ALLOWED_HOSTS": WSGI_HOST, "REDIS_URL": None, **overrides},
    )


def start_wsgi(stack: Stack, script: str, env: dict[str, str]) -> ManagedProcess:
    """Run ``script`` (after ``call``'s definition) in a child, stdout and stderr apart."""
    return stack.start(
        [sys.executable, "-c", WSGI_CALL + script], env=env, name="wsgi", merge_output=False
    )


def run_wsgi(
    stack: Stack, script: str, env: dict[str, str], *, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``start_wsgi`` to its successful end."""
    return start_wsgi(stack, script, env).finish(timeout=timeout)
