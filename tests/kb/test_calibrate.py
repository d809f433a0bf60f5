from __future__ import annotations

import numpy as np
import pytest

from bot.kb.calibrate import (
    CLARIFY_VALUE,
    MAX_WRONG,
    MIN_OOS_DECLINED,
    answered_by_kb,
    calibrate,
    clarify_thresholds,
)
from bot.kb.calibrate import _cautious as _cautious  # the fallback itself


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_calibrate_separates_clusters_from_noise() -> None:
    """Three tight topics and diffuse out-of-scope questions: thresholds must fall
    between them and meet the limits."""
    rng = np.random.default_rng(7)
    centres = unit(rng.normal(size=(3, 32)))
    rows = unit(np.repeat(centres, 6, axis=0) + 0.15 * rng.normal(size=(18, 32)))
    row_entry = np.repeat(np.arange(3), 6)
    negatives = unit(rng.normal(size=(200, 32)))
    texts = [f"topic {e} phrasing {i}" for i, e in enumerate(row_entry)]
    result = calibrate(rows, texts, row_entry, negatives, [f"noise {i}" for i in range(200)])
    assert result.oos_declined >= MIN_OOS_DECLINED
    assert result.in_scope_wrong <= MAX_WRONG
    assert result.in_scope_correct > 0.9
    assert result.thresholds.clarify <= result.thresholds.answer
    top_negative = (negatives @ rows.T).max(axis=1)
    assert np.mean(top_negative >= result.thresholds.clarify) <= 1 - MIN_OOS_DECLINED
    assert 0 < CLARIFY_VALUE < 1


def test_negatives_the_kb_answers_do_not_set_the_thresholds() -> None:
    """A virtual assistant's KB answers "tell me a joke": bundled out-of-scope
    messages that sit inside a topic must not push the clarify threshold above
    the KB's own questions."""
    rng = np.random.default_rng(3)
    centres = unit(rng.normal(size=(4, 32)))
    rows = unit(np.repeat(centres, 6, axis=0) + 0.15 * rng.normal(size=(24, 32)))
    row_entry = np.repeat(np.arange(4), 6)
    texts = [f"topic {e} phrasing {i}" for i, e in enumerate(row_entry)]
    noise = unit(rng.normal(size=(200, 32)))
    inside_topic = unit(np.repeat(centres, 5, axis=0) + 0.1 * rng.normal(size=(20, 32)))
    negatives = np.vstack([noise, inside_topic])
    negative_texts = [f"noise {i}" for i in range(len(negatives))]

    result = calibrate(rows, texts, row_entry, negatives, negative_texts)

    assert result.in_scope_correct > 0.9  # 0.0 with them left in
    # The inside-topic ones scoring at least as high as the KB's median own
    # score are set aside; a couple at its edge may stay.
    assert len(noise) <= result.negatives <= len(noise) + 3
    noise_top = (noise @ rows.T).max(axis=1)
    assert np.mean(noise_top < result.thresholds.clarify) >= MIN_OOS_DECLINED


def test_answered_by_kb_compares_with_the_kbs_typical_own_score() -> None:
    pos = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.7], [0.2, 0.6]], dtype=np.float32)
    expected = np.array([0, 0, 1, 1])  # own-entry scores 0.9, 0.8, 0.7, 0.6: median 0.75
    neg = np.array([[0.76, 0.1], [0.1, 0.74], [0.3, 0.2]], dtype=np.float32)
    assert answered_by_kb(pos, expected, neg).tolist() == [True, False, False]


def test_clarify_thresholds_never_skip_a_level_for_one_negative_more_or_less() -> None:
    """Every candidate declines at least MIN_OOS_DECLINED, and the lowest one
    lets through exactly as many negatives as that allows, for any count."""
    rng = np.random.default_rng(5)
    for n in (99, 100, 299, 300, 301):
        top = rng.normal(size=n)
        candidates = clarify_thresholds(top)
        declined = [float(np.mean(top < c)) for c in candidates]
        assert min(declined) >= MIN_OOS_DECLINED
        allowed = int(np.floor((1 - MIN_OOS_DECLINED) * n + 1e-9))
        assert int(np.sum(top >= candidates.min())) == allowed
        assert max(declined) == 1.0


def test_a_kb_without_alternatives_still_gets_thresholds_it_can_answer_with() -> None:
    """Entries with only a question give no leave-one-out examples: the
    thresholds then come from the out-of-scope messages alone."""
    rng = np.random.default_rng(11)
    rows = unit(rng.normal(size=(8, 32)))
    negatives = unit(rng.normal(size=(300, 32)))
    result = calibrate(rows, [f"q{i}" for i in range(8)], np.arange(8), negatives, ["n"] * 300)
    assert result.positives == 0
    assert result.oos_declined >= MIN_OOS_DECLINED
    assert result.thresholds.clarify < result.thresholds.answer < 1.0  # a paraphrase can pass


def test_translations_alone_do_not_stand_in_for_customers_questions() -> None:
    """Each entry a question and its literal translation: they find each other
    far more easily than a customer's words, so thresholds come from the
    out-of-scope messages alone (answer 0.1 above clarify, margin 0.05)."""
    rng = np.random.default_rng(13)
    centres = unit(rng.normal(size=(30, 32)))
    rows = unit(np.repeat(centres, 2, axis=0) + 0.05 * rng.normal(size=(60, 32)))
    row_entry = np.repeat(np.arange(30), 2)
    negatives = unit(rng.normal(size=(300, 32)))
    texts = [f"q{i}" for i in range(60)]
    langs = ["en", "nb"] * 30

    from_translations = calibrate(rows, texts, row_entry, negatives, ["n"] * 300, row_langs=langs)
    as_alternatives = calibrate(rows, texts, row_entry, negatives, ["n"] * 300)

    assert from_translations.thresholds.margin == 0.05
    assert from_translations.thresholds.answer - from_translations.thresholds.clarify == (
        pytest.approx(0.1, abs=1e-3)
    )
    assert as_alternatives.thresholds.answer < from_translations.thresholds.answer


def test_the_fallback_answers_only_above_the_wrong_answers_it_can_measure() -> None:
    """When no setting meets the limits, the fallback still keeps wrong answers
    within MAX_WRONG where it has enough examples: here 30 % of the questions
    favour a wrong entry at 0.60, just above the old fixed answer threshold."""
    n = 300
    expected = np.arange(n) % 2
    pos = np.full((n, 3), 0.1, dtype=np.float32)  # a third entry nobody asks about
    for i in range(n):
        right, wrong = (0.45, 0.60) if i % 10 < 3 else (0.90, 0.30)
        pos[i, expected[i]], pos[i, 1 - expected[i]] = right, wrong
    neg = np.linspace(0.0, 0.5, 300, dtype=np.float32)[:, None].repeat(3, axis=1)

    result = _cautious(pos, expected, neg, 0.0)

    assert result.in_scope_wrong <= MAX_WRONG  # 0.30 with answer = clarify + 0.1
    assert result.in_scope_correct == 0.7  # the clear ones are still answered
