"""A webhook receiver on loopback for tests: records what arrives, answers as scripted."""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    local_address: str = ""  # the address the connection came in on


@dataclass
class Script:
    """Answers in order (the last one repeats); ``delay`` seconds before each answer."""

    statuses: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0
    location: str = ""  # for 3xx answers


class HookReceiver:
    """Plain HTTP, or HTTPS with ``tls`` (the server names clients ask for in ``server_names``)."""

    def __init__(self, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self.received: list[Received] = []
        self.server_names: list[str | None] = []
        self.script = Script()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    index = len(receiver.received)
                    receiver.received.append(Received(
                        self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                        time.time(), str(self.connection.getsockname()[0])))
                    statuses = receiver.script.statuses
                    status = statuses[min(index, len(statuses) - 1)]
                    delay, location = receiver.script.delay, receiver.script.location
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    if location:
                        self.send_header("Location", location)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                return None

        server_class = ThreadingHTTPServer if tls is None else _TLSServer
        self._server = server_class(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            tls.sni_callback = self._note_server_name
            # the handshake runs in the request's thread, so a refused one stops only itself
            self._server.socket = tls.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False)
        scheme = "http" if tls is None else "https"
        self.port = int(self._server.server_address[1])
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _note_server_name(self, _: ssl.SSLObject, name: str | None, __: ssl.SSLContext) -> None:
        with self._lock:
            self.server_names.append(name)

    def count(self) -> int:
        with self._lock:
            return len(self.received)


class _TLSServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return None  # a client refusing the certificate is what some tests expect
