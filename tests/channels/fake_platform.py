"""A local stand-in for the Graph and Twilio APIs that records every call."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakePlatform:
    url: str
    calls: list[Call] = field(default_factory=list)

    def take(self, path_part: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait for `count` calls to a path containing `path_part`; remove and return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matching = [c for c in self.calls if path_part in c.path]
            if len(matching) >= count:
                time.sleep(0.2)  # let any trailing message of the same turn arrive
                matching = [c for c in self.calls if path_part in c.path]
                for call in matching:
                    self.calls.remove(call)
                return matching
            time.sleep(0.05)
        raise AssertionError(f"{count} call(s) to {path_part} expected, got {self.calls}")


@contextmanager
def fake_platform() -> Iterator[FakePlatform]:
    platform = FakePlatform(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            platform.calls.append(Call(self.path, dict(self.headers.items()), body))
            reply = json.dumps({"messages": [{"id": "wamid.fake"}], "sid": "SMfake"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    platform.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
