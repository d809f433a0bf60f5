from __future__ import annotations

import numpy as np

from bot.kb.calibrate import (
    CLARIFY_ONLY,
    GENERIC_DECLINED,
    MAX_WRONG,
    NEAR_DECLINED,
    Examples,
    _declining,
    _top,
    answered_by_kb,
    calibrate,
    entry_scores,
    near_domain,
    outcomes,
)
from bot.kb.confidence import auc, feature_rows, fit
from bot.kb.decide import MAX_CLARIFY
from bot.kb.thresholds import Thresholds


def synthetic(seed: int, n: int = 600, entries: int = 12, noise: float = 0.08) -> Examples:
    """Questions whose own entry scores ~0.8 (others ~0.4), and negatives whose
    best entry scores ~0.5 and which sit near the bundled out-of-scope messages."""
    rng = np.random.default_rng(seed)
    expected = rng.integers(0, entries, size=n)
    scores = rng.normal(0.4, noise, size=(n, entries)).astype(np.float32)
    scores[np.arange(n), expected] = rng.normal(0.8, noise, size=n)
    negative = rng.normal(0.4, noise, size=(400, entries)).astype(np.float32)
    negative[np.arange(400), rng.integers(0, entries, size=400)] = rng.normal(0.5, noise, 400)
    return Examples(
        scores,
        expected,
        rng.normal(0.3, noise, size=n),
        negative,
        rng.normal(0.6, noise, size=400),
    )


def test_calibration_meets_its_limits_on_its_own_examples() -> None:
    examples = synthetic(7)
    result = calibrate(examples)
    assert result.near_declined >= NEAR_DECLINED
    assert result.oos_declined >= GENERIC_DECLINED
    assert result.in_scope_wrong <= MAX_WRONG
    assert result.in_scope_ok > 0.8
    assert result.separation > 0.9
    assert result.thresholds.clarify <= result.thresholds.answer < CLARIFY_ONLY
    # The model leans on the bank: negatives are nearer the bundled messages.
    assert result.model.weights[2] < 0


def test_the_calibration_round_trips_through_the_manifest() -> None:
    data = calibrate(synthetic(3)).to_json()
    assert {"answer", "clarify", "margin", "model", "procedure", "lexical_weight"} <= set(data)
    assert len(data["model"]["weights"]) == 3  # type: ignore[index]


def test_near_domain_takes_the_own_entry_away() -> None:
    scores = np.array([[0.9, 0.5, 0.1], [0.2, 0.3, 0.7]], dtype=np.float32)
    near, mean = near_domain(scores, np.array([0, 2]))
    assert near.argmax(axis=1).tolist() == [1, 1]
    assert np.allclose(mean, [0.3, 0.25])


def test_answered_by_kb_compares_with_the_kbs_typical_own_score() -> None:
    pos = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.7], [0.2, 0.6]], dtype=np.float32)
    expected = np.array([0, 0, 1, 1])  # own-entry scores 0.9, 0.8, 0.7, 0.6: median 0.75
    neg = np.array([[0.76, 0.1], [0.1, 0.74], [0.3, 0.2]], dtype=np.float32)
    assert answered_by_kb(pos, expected, neg).tolist() == [True, False, False]


def test_declining_never_skips_a_level_for_one_example_more_or_less() -> None:
    rng = np.random.default_rng(5)
    for n in (99, 100, 299, 300, 301):
        values = rng.normal(size=n)
        threshold = _declining(values, 0.98)
        assert float(np.mean(values < threshold)) >= 0.98
        allowed = int(np.floor(0.02 * n + 1e-9))
        assert int(np.sum(values >= threshold)) == allowed


def test_outcomes_replay_decide() -> None:
    top = np.array([[0.9, 0.5, 0.4], [0.9, 0.89, 0.4], [0.6, 0.5, 0.4], [0.3, 0.2, 0.1]])
    conf = np.array([[0.9, 0.2, 0.1], [0.9, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.1, 0.0]])
    hit = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=bool)
    correct, ok, wrong, clarified = outcomes(top, conf, hit, Thresholds(0.7, 0.5, 0.05))
    # answered right; clarified (close runner-up) with it; clarified, third button; declined
    assert (correct, ok, wrong, clarified) == (0.25, 0.75, 0.0, 0.5)


def test_fit_and_auc() -> None:
    rng = np.random.default_rng(0)
    score = rng.uniform(0.3, 0.9, 2000)
    mean = rng.uniform(0.2, 0.4, 2000)
    bank = rng.uniform(0.2, 0.8, 2000)
    labels = (2 * (score - mean) - bank + rng.normal(0, 0.1, 2000) > 0.2).astype(float)
    model = fit(feature_rows(score, mean, bank), labels, np.ones(2000))
    sure = model.of(score, mean, bank)
    assert auc(sure[labels == 1], sure[labels == 0]) > 0.95
    assert auc(np.array([1.0, 2.0]), np.array([0.0])) == 1.0
    assert auc(np.array([1.0]), np.array([1.0])) == 0.5


def test_entry_scores_is_the_best_row_of_each_entry_and_fill_for_none() -> None:
    rng = np.random.default_rng(0)
    row_entry = rng.integers(0, 40, size=120)
    row_entry[row_entry == 7] = 8  # entry 7 has no rows
    matrix = rng.random((5000, 120), dtype=np.float32)  # more than one block of questions
    out = entry_scores(matrix, row_entry, 41)
    for entry in (0, 8, 39):
        assert np.array_equal(out[:, entry], matrix[:, row_entry == entry].max(axis=1))
    assert (out[:, 7] == -1.0).all() and (out[:, 40] == -1.0).all()


def test_top_orders_as_a_stable_full_sort_also_with_ties() -> None:
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 6, size=(3000, 50)).astype(np.float32) / 5  # many ties
    scores[:10] = 0.5  # a whole row tied
    top, order = _top(scores)
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :MAX_CLARIFY]
    assert np.array_equal(order, expected)
    assert np.array_equal(top, np.take_along_axis(scores, expected, axis=1))
