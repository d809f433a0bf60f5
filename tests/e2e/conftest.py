"""The real stack, once per test session: a trained Rasa model, the Rasa server and
the bot service, with the tests' own small KB, a fresh SQLite database and the
real default embedding model."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bench.stack import Stack, running_stack
from tests.conftest import FIXTURE_KB


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(FIXTURE_KB, tmp_path_factory.mktemp("stack")) as running:
        yield running


def custom_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The response-contract payload among the bot's messages."""
    customs = [m["custom"] for m in messages if "custom" in m]
    assert len(customs) == 1, messages
    return customs[0]


def answered(
    stack: Stack, sender: str, text: str, faq_id: str, **metadata: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ask `text`; where the bot offers buttons with `faq_id` among them (a sibling
    entry within the calibrated margin), press it. The bot's messages and contract."""
    messages = stack.say(sender, text, **metadata)
    contract = custom_of(messages)
    if contract["kind"] == "clarify":
        assert faq_id in [c["faq_id"] for c in contract["candidates"]], contract
        messages = stack.say(sender, f'/choose_faq{{"faq_id":"{faq_id}"}}', **metadata)
        contract = custom_of(messages)
    return messages, contract


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"
