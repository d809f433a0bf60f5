from __future__ import annotations

import numpy as np

from bot.kb.calibrate import CLARIFY_VALUE, MAX_WRONG, MIN_OOS_DECLINED, calibrate


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
