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


@pytest.mark.parametrize(
    "text",
    [
        "hej, finns det någon handläggare jag kan chatta med istället?",
        "is there a member of staff I could talk to",
        "en medarbejder jeg kan tale med, tak",
        "Kan du stille mig videre?",
        "vill helst inte skriva med en bot",
        "I really do not want to chat with a bot",
    ],
)
def test_requests_person_staff_before_the_verb_and_no_bot_are_requests(text: str) -> None:
    assert requests.requests_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "the agent I spoke to said it was on its way",  # told, in the past tense
        "medarbejderen jeg talte med i butikken var sød",
        "The form needs a manager's signature. Talk to you later",  # two sentences
    ],
)
def test_requests_person_staff_told_of_is_no_request(text: str) -> None:
    assert requests.requests_person(text) == []


def _every_pair(tokens: list[str], phrases: list[requests.Phrase]) -> list[tuple[int, int]]:
    """The matcher before the first-word index: every phrase tried at every word."""
    return [
        (start, start + len(phrase))
        for start in range(len(tokens))
        for phrase in phrases
        if requests._matches_at(tokens, start, phrase)
    ]


def _typed(word: str) -> str:
    return word[:-1] + "ene" if word.endswith("*") else word


def _eval_texts() -> list[str]:
    texts = [m["text"] for m in MESSAGES]
    for name in ("chat.yml", "handoff_dev_messages.yml"):
        data = yaml.safe_load((DEV.parent / name).read_text(encoding="utf-8"))
        for item in data.get("questions") or data.get("messages") or []:
            texts.append(item["text"] if isinstance(item, dict) else str(item))
    return texts


def test_first_word_index_finds_what_trying_every_phrase_finds() -> None:
    texts = _eval_texts()
    # Every listed phrase in a sentence, so that each one (its "*" endings too) is found.
    for listed in (requests.CONTACT, requests.STAFF, requests.REAL):
        texts += [f"hei jeg vil {' '.join(_typed(w) for w in p)} nå" for p in listed.phrases]
    assert len(texts) > 1000
    found = 0
    for text in texts:
        tokens = requests._TOKEN.findall(requests.fold(text))
        for listed in (requests.CONTACT, requests.STAFF, requests.REAL):
            expected = _every_pair(tokens, listed.phrases)
            assert requests._ends(tokens, listed) == expected, text
            found += len(expected)
    assert found > 300


def test_first_word_index_keeps_the_listed_order_at_one_word() -> None:
    listed = [("humans", "please"), ("human*",), ("humans",)]
    tokens = ["humans", "please"]
    assert requests._ends(tokens, requests.Phrases(listed)) == _every_pair(tokens, listed)
