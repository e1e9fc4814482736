"""A threaded HTTP server on 127.0.0.1 with a request log and scripted faults."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float = 0.0  # time.monotonic() when it arrived


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})


@dataclass
class Fault:
    """Misbehave on the next request whose path starts with ``path`` (None: any), ``times`` times.

    kind: ``status`` (answer ``status`` with ``body``/``headers``), ``reset`` (close the connection without
    an answer), ``hang`` (sleep ``delay`` seconds, then answer normally), ``html`` (200 with an HTML page),
    ``truncate`` (the real answer cut in half), ``expire_tokens`` (invalidate every issued token, then
    answer normally, which is a 401 for a data request).
    """

    kind: str = "status"
    path: str | None = None
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    delay: float = 0.0

    def matches(self, path: str) -> bool:
        return self.times > 0 and (self.path is None or path.startswith(self.path))


class FakeServer:
    """Subclasses implement ``handle(request) -> Reply``; faults and the request log are handled here."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._address: tuple[str, int] | None = None

    # -- what subclasses provide ----------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:  # pragma: no cover - abstract
        raise NotImplementedError

    title = "the API"  # as the demo names it: "12 Spotify requests"

    @classmethod
    def from_recordings(cls, folder: Path, **options: Any) -> Self:  # pragma: no cover - abstract
        """A fake that answers what ``folder`` recorded (data/sample/recordings/<source>/)."""
        raise NotImplementedError

    def settings(self) -> dict[str, str]:  # pragma: no cover - abstract
        """The variables a user's .env would hold to use this fake: its URL, its credentials, no pacing."""
        raise NotImplementedError

    def on_fault(self, fault: Fault) -> None:
        """Hook for faults that change server state (e.g. expiring tokens)."""

    # -- control --------------------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def data_requests(self) -> int:
        """Requests to the API proper (subclasses leave out token requests and the like)."""
        return self.count()

    def count(self, path_prefix: str = "", method: str | None = None) -> int:
        with self.lock:
            return sum(
                1 for r in self.requests if r.path.startswith(path_prefix) and (method is None or r.method == method)
            )

    def reset_log(self) -> None:
        with self.lock:
            self.requests.clear()

    @property
    def url(self) -> str:
        assert self._address is not None, "server not started"
        return f"http://{self._address[0]}:{self._address[1]}"

    def start(self, port: int = 0) -> Self:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def setup(self) -> None:
                super().setup()  # headers and body go out in two writes: without NODELAY, 40 ms a request
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items()}
                request = Request(self.command, parts.path, parse_qs(parts.query), headers, body, time.monotonic())
                with fake.lock:
                    fake.requests.append(request)
                    fault = next((f for f in fake.faults if f.matches(parts.path)), None)
                    if fault:
                        fault.times -= 1
                if fault and fault.kind == "reset":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault and fault.kind == "hang":
                    time.sleep(fault.delay)
                if fault and fault.kind == "expire_tokens":
                    fake.on_fault(fault)
                if fault and fault.kind == "status":
                    payload = fault.body
                    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                    ctype = "text/html" if isinstance(payload, bytes) else "application/json"
                    reply = Reply(fault.status, raw, {"Content-Type": ctype, **fault.headers})
                elif fault and fault.kind == "html":
                    page = (
                        b"<!DOCTYPE html><html><head><title>503</title></head><body>Service Unavailable</body></html>"
                    )
                    reply = Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
                else:
                    reply = fake.handle(request)
                    if fault and fault.kind == "truncate":
                        reply = Reply(reply.status, reply.body[: max(1, len(reply.body) // 2)], reply.headers)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    self.close_connection = True

            do_GET = _serve
            do_POST = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        host, port = self._server.server_address[:2]
        self._address = (host if isinstance(host, str) else host.decode(), port)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


Handler = Callable[[Request], Reply]
