"""The handoff share on a labelled message file: counted per language and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.handoff.evaluation import (
    Message,
    MessageOutcome,
    handoff_shares,
    load_messages,
    message_report,
)


def _outcome(lang: str, expected: str | None, reason: str | None) -> MessageOutcome:
    return MessageOutcome(Message(f"text {lang}", lang, expected), reason, ())


def test_shares_count_answerable_messages_only_per_language_and_reason() -> None:
    outcomes = [
        _outcome("en", "returns", None),
        _outcome("en", "returns", "complex"),
        _outcome("en", "delivery", None),
        _outcome("en", "delivery", None),
        _outcome("nb", "returns", "requested"),
        _outcome("nb", "returns", None),
        _outcome("nb", None, "complex"),  # out of scope: not in the share
    ]
    shares = handoff_shares(outcomes)
    assert shares["all"].messages == 6
    assert shares["all"].handed_off == pytest.approx(2 / 6)
    assert shares["en"].by_reason == {"complex": 0.25}
    assert shares["nb"].by_reason == {"requested": 0.5}
    report = message_report(outcomes, "chat.yml")
    assert "| en | 4 | 25.0% | 25.0% | 0.0% |" in report
    assert "out-of-scope messages handed off: 1 of 1" in report


def test_messages_load_from_the_bot_eval_format(tmp_path: Path) -> None:
    path = tmp_path / "chat.yml"
    path.write_text(
        "version: 1\nquestions:\n"
        "  - {text: 'hi, do you ship to Iceland?', lang: en, expected: delivery_countries}\n"
        "  - {text: 'tell me a joke', lang: en, expected: null}\n",
        encoding="utf-8",
    )
    assert load_messages(path) == [
        Message("hi, do you ship to Iceland?", "en", "delivery_countries"),
        Message("tell me a joke", "en", None),
    ]
