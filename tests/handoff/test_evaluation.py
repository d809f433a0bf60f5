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


def test_balanced_threshold_takes_the_point_where_recall_and_precision_are_both_highest() -> None:
    import numpy as np

    from bot.handoff.train_models import balanced_threshold

    y = np.array([True, True, True, False, False, False])
    p = np.array([0.9, 0.8, 0.4, 0.7, 0.3, 0.2])
    words = np.zeros(6, dtype=bool)
    assert balanced_threshold(y, p, words) == 0.4  # recall 1.0, precision 0.75
    words[2] = True  # the third is found by its words whatever the model says
    assert balanced_threshold(y, p, words) == 0.8  # recall 1.0, precision 1.0


def test_requests_report_counts_the_dev_requests_per_language() -> None:
    from bot.handoff.evaluation import requests_report

    text = requests_report()
    assert "split: dev" in text
    assert all(f"| {lang} |" in text for lang in ("da", "en", "nb", "nl", "sv"))
