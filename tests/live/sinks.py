"""
Loopback test doubles of the services a server delivers to, run by a thread
of the test: each keeps what it received for the test to read.
"""

import asyncio
import email
import gzip
import io
import json
import socketserver
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.live.processes import HOST, free_port


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


class SmtpSink:
    """
    A mail server (aiosmtpd, in a thread) that keeps every message it accepts.

    It can be stopped and started again on the same port (a mail server
    outage), made slow to accept a message (``data_delay``), or made to hold
    senders after they connected and before anything is delivered
    (``holding``; ``held`` counts the senders it caught).
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.data_delay = 0.0
        self.holding = False
        self.held = 0
        self._lock = threading.Lock()
        self._messages: list[Message] = []
        self.controller: Controller | None = None
        self.start()

    def start(self) -> None:
        self.controller = Controller(self, hostname=HOST, port=self.port, ready_timeout=10)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def mail_env(self) -> dict[str, str]:
        """The server environment's overrides that send its mail here (plain SMTP)."""
        return {"EMAIL_HOST": HOST, "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "false"}

    @property
    def messages(self) -> list[Message]:
        with self._lock:
            return list(self._messages)

    def to(self, address: str) -> list[Message]:
        return [message for message in self.messages if message["To"] == address]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.holding:
            self.held += 1
            while self.holding:
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        with self._lock:
            self._messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"
