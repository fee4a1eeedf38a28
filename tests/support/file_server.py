"""A file server on loopback for tests of outbound fetches: files, redirects, slow and
endless answers, and what each request's Host header said."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FileServer:
    """``/f/<name>`` answers ``files[name]`` (typed ``types[name]``); ``/redirect?to=URL``
    answers 302 to it; ``/loop`` redirects to itself; ``/endless`` streams without end;
    ``/slow`` trickles a byte every 0.2 s; anything else is 404."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.types: dict[str, str] = {}
        self.hosts: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.hosts.append(self.headers.get("Host", ""))
                parts = urlsplit(self.path)
                try:
                    if parts.path.startswith("/f/") and parts.path[3:] in server.files:
                        name = parts.path[3:]
                        self._send(200, server.files[name],
                                   server.types.get(name, "application/octet-stream"))
                    elif parts.path == "/redirect":
                        self._redirect(parse_qs(parts.query)["to"][0])
                    elif parts.path == "/loop":
                        self._redirect("/loop")
                    elif parts.path == "/endless":
                        self._stream(b"\0" * 65536, pause=0.0, forever=True)
                    elif parts.path == "/slow":
                        self._stream(b"\0", pause=0.2, forever=True)
                    else:
                        self._send(404, b"no", "text/plain")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _stream(self, chunk: bytes, *, pause: float, forever: bool) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "audio/mpeg")
                self.send_header("Connection", "close")
                self.end_headers()
                while forever:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if pause:
                        time.sleep(pause)

            def log_message(self, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def add(self, name: str, body: bytes, content_type: str = "audio/mpeg") -> str:
        """Serve ``body`` as ``name``; its URL."""
        self.files[name] = body
        self.types[name] = content_type
        return f"{self.url}/f/{name}"

    def __enter__(self) -> FileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
