"""A minimal Socket.IO (v5, Engine.IO v4) client over one websocket, for attacking Rasa's
socket.io channel without a browser: connect, emit, collect what the server emits."""

from __future__ import annotations

import json
import time
from typing import Any

from websockets.sync.client import ClientConnection, connect


class SocketIO:
    def __init__(self, base_url: str) -> None:
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws: ClientConnection = connect(url, open_timeout=10, max_size=2**22)
        assert str(self.ws.recv(timeout=10)).startswith("0")  # Engine.IO open
        self.ws.send("40")  # Socket.IO connect to the default namespace
        self.events: list[tuple[str, Any]] = []
        self.acks: dict[int, Any] = {}
        self._wait_for(lambda: self._connected, 10)

    _connected = False
    _next_ack = 0

    def emit(self, event: str, data: Any) -> None:
        self.ws.send("42" + json.dumps([event, data]))

    def call(self, event: str, data: Any, timeout: float = 30) -> Any:
        """Emit asking for an acknowledgement (as the widget does); what the server acked."""
        self._next_ack += 1
        ack_id = self._next_ack
        self.ws.send(f"42{ack_id}" + json.dumps([event, data]))
        if not self._wait_for(lambda: ack_id in self.acks, timeout):
            raise TimeoutError(f"no acknowledgement within {timeout}s: {self.events}")
        return self.acks.pop(ack_id)

    def session(self, session_id: str | None = None) -> str:
        """Ask for a session (as the widget does); the id the server confirmed."""
        self.emit("session_request", {"session_id": session_id})
        return str(self.wait("session_confirm"))

    def wait(self, event: str, timeout: float = 30) -> Any:
        found = self._wait_for(lambda: any(name == event for name, _ in self.events), timeout)
        if not found:
            raise TimeoutError(f"no {event} within {timeout}s: {self.events}")
        index = next(i for i, (name, _) in enumerate(self.events) if name == event)
        return self.events.pop(index)[1]

    def collect(self, seconds: float) -> list[tuple[str, Any]]:
        self._wait_for(lambda: False, seconds)
        events, self.events = self.events, []
        return events

    def close(self) -> None:
        self.ws.close()

    def _wait_for(self, done: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                packet = str(self.ws.recv(timeout=min(left, 1.0)))
            except TimeoutError:
                continue
            self._handle(packet)
        return True

    def _handle(self, packet: str) -> None:
        if packet == "2":  # ping
            self.ws.send("3")
        elif packet.startswith("40"):
            self._connected = True
        elif packet.startswith("42"):
            name, *args = json.loads(packet[2:])
            self.events.append((name, args[0] if args else None))
        elif packet.startswith("43"):
            body = packet[2:]
            digits = len(body) - len(body.lstrip("0123456789"))
            args = json.loads(body[digits:])
            self.acks[int(body[:digits])] = args[0] if args else None
