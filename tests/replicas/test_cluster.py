"""The 2+2 cluster behind HAProxy (bench/cluster.py): a conversation goes on when a Rasa
replica or a bot-service replica is killed with SIGKILL in the middle of it, and every
message that got a 2xx is in Rasa's tracker store exactly once."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from bench.cluster import Cluster, running_cluster
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]

QUESTIONS = [
    "How long does shipping take?",
    "Which payment options do you offer?",
    "How much does shipping cost?",
    "Hvor lang er leveringstiden?",
]


def say_until_answered(cluster: Cluster, sender: str, message: str, within: float = 5.0) -> dict:
    """Send as a channel would: retry what was refused (502/503) until `within` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        try:
            response = cluster.say(sender, message, timeout=30)
            if response.status_code == 200:
                return custom_of(response.json())
            assert response.status_code in (502, 503), response.text  # retryable refusals only
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"no answer to {message!r} within {within}s"
        time.sleep(0.25)


def socketio_over_polling(cluster: Cluster, message: str) -> list[Any]:
    """The widget's first transport: Engine.IO long-polling, one HTTP request after another
    with the session's sid. Each must reach the replica holding the session (HAProxy hashes
    /socket.io by client address); another replica answers 400 "Session ID unknown"."""
    base = f"{cluster.rasa_url}/socket.io/?EIO=4&transport=polling"
    with httpx.Client(timeout=30) as client:
        opened = client.get(base)
        assert opened.status_code == 200, opened.text
        sid = json.loads(opened.text[opened.text.index("{") :])["sid"]
        url = f"{base}&sid={sid}"

        def post(packet: str) -> None:
            response = client.post(url, content=packet.encode())
            assert response.status_code == 200, response.text

        def events(wanted: str) -> list[Any]:
            found: list[Any] = []
            for _ in range(20):
                response = client.get(url)
                assert response.status_code == 200, response.text
                for packet in response.text.split("\x1e"):
                    if packet == "2":
                        post("3")  # pong
                    elif packet.startswith("42"):
                        found.append(json.loads(packet[2:]))
                if any(event[0] == wanted for event in found):
                    return found
            raise AssertionError(f"no {wanted}: {found}")

        post("40")
        post("42" + json.dumps(["session_request", {"session_id": None}]))
        session = next(e[1] for e in events("session_confirm") if e[0] == "session_confirm")
        post("42" + json.dumps(["user_uttered", {"message": message, "session_id": session}]))
        return [e[1] for e in events("bot_uttered") if e[0] == "bot_uttered"]


def user_messages(cluster: Cluster, sender: str) -> list[str]:
    engine = create_engine(cluster.tracker_url.replace("postgresql://", "postgresql+psycopg2://"))
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        ).scalars()
        texts = [json.loads(row)["text"] for row in rows]
    engine.dispose()
    return texts


def test_conversation_goes_on_when_replicas_are_killed(tmp_path: Path) -> None:
    with running_cluster(FIXTURE_KB, tmp_path, replicas=2) as cluster:
        # The widget's polling transport through the balancer, both replicas up.
        assert socketio_over_polling(cluster, "How long does shipping take?")
        sender = new_sender()
        sent = []
        for question in QUESTIONS[:2]:  # both Rasa replicas take part (round robin)
            assert say_until_answered(cluster, sender, question)["kind"] == "answer"
            sent.append(question)

        cluster.kill(cluster.rasa[0])
        assert say_until_answered(cluster, sender, QUESTIONS[2])["kind"] == "answer"
        sent.append(QUESTIONS[2])

        cluster.kill(cluster.bots[0])
        reply = say_until_answered(cluster, sender, QUESTIONS[3])
        sent.append(QUESTIONS[3])
        # At worst the turn in flight to the dead bot replica got Rasa's apology; the next
        # is answered by the live one once HAProxy has marked the dead one down (3 s).
        time.sleep(3.5)
        again = say_until_answered(cluster, sender, QUESTIONS[0])
        sent.append(QUESTIONS[0])
        assert again["kind"] == "answer" and reply is not None

        assert user_messages(cluster, sender) == sent  # each exactly once, in order
