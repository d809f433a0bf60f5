"""Faults a replica meets: a hung action server (the customer hears something within 5 s)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.stack import running_stack
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def hung_server() -> Iterator[str]:
    """Accepts connections and never answers (a bot-service replica stuck in a long GC,
    a half-dead container)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/webhook"
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    server.close()


def test_a_hung_action_server_gets_the_customer_an_apology_within_5_seconds(
    tmp_path: Path, hung_server: str
) -> None:
    with running_stack(FIXTURE_KB, tmp_path, {"SVAR_ACTION_URL": hung_server}) as stack:
        started = time.monotonic()
        messages = stack.say(new_sender(), "How long does shipping take?")
        elapsed = time.monotonic() - started
    assert elapsed < 5.0, f"the customer waited {elapsed:.1f} s"
    assert any("try again in a moment" in m.get("text", "") for m in messages), messages
