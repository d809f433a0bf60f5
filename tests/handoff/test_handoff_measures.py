"""What `bot handoff eval` and `bot handoff train` measure: the public set, reach, thresholds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.handoff import public_set
from bot.handoff.evaluation import Dialogue, Outcome, load_dialogues, load_split
from bot.handoff.reach import reach, reach_report
from bot.handoff.train_models import (
    dev_messages,
    dialogue_turns,
    frustration_examples,
    grouped_folds,
    precision_threshold,
    train,
)
from bot.kb.encoders import create_encoder

ROOT = Path(__file__).resolve().parents[2]

TWEETS = """
--------------------  [1, 2]  --------------------
USER: my parcel never came /// https://t.co/x still nothing {4,2,3}
SUPP: Sorry! ^AB
USER: ok thanks {0,0,0}
USER: cannot tell {3,,n}

--------------------  [3]  --------------------
USER: where is it {3,1,2}
"""


def test_public_set_reads_grades_by_majority_and_splits_by_dialogue(tmp_path: Path) -> None:
    path = tmp_path / "dprocessed.txt"
    path.write_text(TWEETS, encoding="utf-8")
    turns = public_set.load(path)
    assert [t.text for t in turns] == [
        "my parcel never came still nothing",
        "ok thanks",
        "where is it",
    ]
    assert [t.frustrated for t in turns] == [True, False, False]  # {3,1,2}: one grader of three
    assert turns[0].split == turns[1].split == public_set.split_of("[1, 2]")


def test_translations_carry_the_tweets_label_and_share_its_fold(tmp_path: Path) -> None:
    path = tmp_path / "dprocessed.txt"
    path.write_text(TWEETS, encoding="utf-8")
    turns = [replace(t, split="dev") for t in public_set.load(path)]
    key = public_set.turn_id("my parcel never came still nothing")
    (tmp_path / "nb.jsonl").write_text(
        f'{{"id": "{key}", "text": "pakken min kom aldri, fortsatt ingenting"}}\n', "utf-8"
    )
    translated = public_set.translations(tmp_path)
    examples = frustration_examples(turns, [], [("hvor er pakken?", "nb")], translated)
    nb = [e for e in examples if e.source == "translated"]
    assert [(e.text, e.label, e.lang) for e in nb] == [
        ("pakken min kom aldri, fortsatt ingenting", True, "nb")
    ]
    folds = grouped_folds(examples)
    assert folds[examples.index(nb[0])] == folds[0]  # beside its tweet, never in another fold
    assert len(set(folds[:3])) == 3  # ungrouped examples still take turns


def test_shipped_translations_hold_only_the_dev_split_in_four_languages() -> None:
    dev = {public_set.turn_id(t.text) for t in public_set.load() if t.split == "dev"}
    translated = public_set.translations()
    assert set(translated) == {"nb", "sv", "da", "nl"}
    for texts in translated.values():
        assert set(texts) == dev  # every dev turn, and no held-out turn


def test_public_split_holds_out_about_the_share_it_says() -> None:
    splits = [public_set.split_of(f"[{i}]") for i in range(2000)]
    assert abs(splits.count("test") / 2000 - public_set.TEST_SHARE / 100) < 0.04


def _outcome(id: str, expect: str | None, turn: int | None, got: str | None, at: int | None,
             lang: str = "en") -> Outcome:  # fmt: skip
    dialogue = Dialogue(id, lang, "x", expect, ("a", "b", "c"), {}, turn=turn)
    return Outcome(dialogue, got, at, False)


def test_reach_counts_handoffs_by_the_expected_turn_whatever_the_reason() -> None:
    outcomes = [
        _outcome("a", "frustration", 2, "frustration", 2),
        _outcome("b", "frustration", 2, "repeated_failure", 1),  # early, other reason: reached
        _outcome("c", "complex", 1, "complex", 3),  # late
        _outcome("d", "requested", None, None, None, "nb"),  # never; expects the last turn
        _outcome("e", None, None, "frustration", 2),  # calm, handed off
        _outcome("f", None, None, None, None),
    ]
    r = reach(outcomes)
    assert (r.should, r.in_time, r.late, r.never, r.right_reason) == (4, 2, 1, 1, 2)
    assert (r.calm, r.calm_handed) == (2, 1)
    assert r.requests == {"nb": (0, 1)}
    assert outcomes[3].dialogue.expected_turn == 3
    text = reach_report(outcomes)
    assert (
        "by the expected turn 2 (50%)" in text and "| c | x | complex | 1 | complex ✗ | 3 |" in text
    )


def test_thresholds_come_from_precision_out_of_fold() -> None:
    y = np.array([False, False, True, False, True, True])
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.8, 0.9])
    assert precision_threshold(y, p, 0.7, np.ones(6)) == pytest.approx(0.3)
    assert precision_threshold(y, p, 0.9, np.ones(6)) == pytest.approx(0.8)


def test_dev_dialogues_give_training_turns_and_the_test_file_is_refused(tmp_path: Path) -> None:
    dev = ROOT / "data" / "eval" / "handoff_dialogues.yml"
    test = ROOT / "data" / "eval" / "handoff_test_dialogues.yml"
    assert load_split(dev) == "dev" and load_split(test) == "test"
    turns = dialogue_turns(dev)
    assert ("Faen, dette er jo håpløst!!!", "nb", "frustrated") in turns
    assert all(not text.startswith("/") for text, _, _ in turns)
    with pytest.raises(ValueError, match="not a dev file"):
        train(create_encoder("e5-onnx"), [], ROOT / "x.yml", test, folder=tmp_path)


def test_dev_message_files_are_read_and_a_message_file_of_another_split_is_refused(
    tmp_path: Path,
) -> None:
    found = dev_messages(ROOT / "data" / "eval" / "handoff_dev_messages2.yml")
    for lang in ("en", "nb", "sv", "da", "nl"):
        labels = {label for _, at, label in found if at == lang}
        assert labels == {"frustrated", "calm", "account", "info"}
    held_out = tmp_path / "held_out.yml"
    held_out.write_text("split: test\nmessages: [{lang: en, label: calm, text: hi}]\n", "utf-8")
    with pytest.raises(ValueError, match="not a dev file"):
        dev_messages(held_out)


@pytest.mark.parametrize("name", [f"handoff_dev{n}_dialogues.yml" for n in range(2, 11)])
def test_later_dev_dialogue_files_are_dev_and_well_formed(name: str) -> None:
    path = ROOT / "data" / "eval" / name
    dialogues = load_dialogues(path)
    assert load_split(path) == "dev" and len({d.id for d in dialogues}) == len(dialogues)
    assert {d.lang for d in dialogues} == {"en", "nb", "sv", "da", "nl"}
    assert all(d.turn and d.turn <= len(d.turns) for d in dialogues if d.expect is not None)


def test_test_dialogues_cover_every_language_and_kind_the_issue_names() -> None:
    dialogues = load_dialogues(ROOT / "data" / "eval" / "handoff_test_dialogues.yml")
    assert len(dialogues) >= 100
    for lang in ("en", "nb", "sv", "da", "nl"):
        kinds = {d.kind for d in dialogues if d.lang == lang}
        assert {"sarcasm", "emoji", "capitals", "disbelief", "callback", "long-context"} <= kinds
    assert all(d.turn for d in dialogues if d.expect is not None)


def test_second_test_set_is_its_own_split_is_refused_for_training_and_is_broad(
    tmp_path: Path,
) -> None:
    test2 = ROOT / "data" / "eval" / "handoff_test2_dialogues.yml"
    assert load_split(test2) == "test2"
    with pytest.raises(ValueError, match="not a dev file"):
        train(create_encoder("e5-onnx"), [], ROOT / "x.yml", test2, folder=tmp_path)
    dialogues = load_dialogues(test2)
    assert len(dialogues) >= 100 and len({d.id for d in dialogues}) == len(dialogues)
    for lang in ("en", "nb", "sv", "da", "nl"):
        labels = {d.label for d in dialogues if d.lang == lang}
        assert {"frustrated", "complex", "complaint", "failure", "requested", "calm"} <= labels
    assert sum(d.label == "calm" for d in dialogues) >= 0.3 * len(dialogues)
    assert all(d.turn and d.turn <= len(d.turns) for d in dialogues if d.expect is not None)
