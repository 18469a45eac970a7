"""
Loopback test doubles of the services a server delivers to, run by a thread
of the test: each keeps what it received for the test to read. An SMTP sink
would be a ``LoopbackSink`` too.
"""

import gzip
import io
import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.live.processes import HOST


class LoopbackSink:
    """``server_class`` with ``handler`` on a free loopback port (``port``), served by a thread."""

    def __init__(
        self,
        handler: type[socketserver.BaseRequestHandler],
        server_class: type[socketserver.TCPServer] = socketserver.ThreadingTCPServer,
    ) -> None:
        self.server = server_class((HOST, 0), handler)
        self.port: int = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class SentryIngest(LoopbackSink):
    """Sentry's ingest: keeps every envelope posted (``dsn`` points an SDK at it)."""

    def __init__(self) -> None:
        self.envelopes: list[bytes] = []
        envelopes = self.envelopes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                envelopes.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test reads the envelopes, not a log."""

        super().__init__(Handler, ThreadingHTTPServer)

    @property
    def dsn(self) -> str:
        return f"http://public-key@{HOST}:{self.port}/42"

    def items(self, kind: str) -> list[dict]:
        """The payloads of every item of one type ("event", "transaction", ...)."""
        return [
            json.loads(payload)
            for envelope in self.envelopes
            for header, payload in envelope_items(envelope)
            if header.get("type") == kind
        ]

    def events(self) -> list[dict]:
        return self.items("event")


def envelope_items(raw: bytes) -> list[tuple[dict, bytes]]:
    """Sentry's envelope format: a header line, then (item header, payload) pairs."""
    stream = io.BytesIO(raw)
    stream.readline()
    items = []
    while header_line := stream.readline():
        if not header_line.strip():
            continue
        header = json.loads(header_line)
        if "length" in header:
            payload = stream.read(header["length"])
            stream.readline()
        else:
            payload = stream.readline()
        items.append((header, payload))
    return items
