"""
CPU per request of the WSGI application called in process: no gunicorn, no
socket, one thread; the middleware, Django, DRF, PostgreSQL and Redis as
served. Run by scripts/inprocess.sh beside the same requests served by
gunicorn, and by scripts/ab.sh (AB_INPROCESS) for each side, with the
environment they set (production settings, a database with one user owning
1,000 todos), from the checkout to measure (the current directory).

    python scripts/inprocess.py TOKEN ENDPOINT REQUESTS

prints "cpu_ms=<CPU ms per request>" for ENDPOINT (list or create).
"""

import io
import os
import sys
import time
from collections.abc import Iterable

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# After the settings module is named.
from config.wsgi import application


def environ(token: str, method: str, path: str, query: str, body: bytes) -> dict[str, object]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_X_FORWARDED_PROTO": "https",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(token: str, endpoint: str) -> str:
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    if endpoint == "list":
        env = environ(token, "GET", "/api/v1/todos/", "page_size=20", b"")
    else:
        env = environ(token, "POST", "/api/v1/todos/", "", b'{"title":"bench todo"}')
    response: Iterable[bytes] = application(env, start_response)
    b"".join(response)
    response.close()  # type: ignore[attr-defined] - request_finished, as a server calls it
    return statuses[0]


def main() -> None:
    token, endpoint, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for _ in range(50):
        status = call(token, endpoint)
        assert status.startswith("20"), status
    started = time.process_time()
    for _ in range(count):
        call(token, endpoint)
    print(f"cpu_ms={(time.process_time() - started) * 1000 / count:.3f}")


if __name__ == "__main__":
    main()
