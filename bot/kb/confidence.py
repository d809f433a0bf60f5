"""How sure Svar is that a candidate answers the customer: a small logistic model.

The top-1 similarity alone separates answerable chat messages from
out-of-scope ones poorly (AUC 0.87 on the demo chat set; issue 10): a long
message with a lead-in scores lower against everything, a short one higher.
Three features fix most of that, and each is cheap at query time:

- `score`: the candidate's similarity;
- `lift`: that score minus the mean over every entry, so a message that is
  near everything (a greeting, a long ramble) does not look sure;
- `bank`: the similarity to the nearest of the bundled out-of-scope messages
  (calibration/out_of_scope.yml), so "tell me a joke" is recognised as the
  chit-chat it is, whatever the KB's nearest entry.

The model is fitted at every index build on the KB alone (calibrate.py): no
labelled customer questions exist for a new KB.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEATURES = ("score", "lift", "bank")
L2 = 1e-3  # keeps a tiny KB's fit finite when its examples separate perfectly


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights over `FEATURES`, and the bias."""

    weights: tuple[float, float, float]
    bias: float

    def of(
        self, score: np.ndarray | float, mean: np.ndarray | float, bank: np.ndarray | float
    ) -> np.ndarray:
        """Probability that a candidate with this `score` answers the message."""
        w = self.weights
        score = np.asarray(score, dtype=np.float64)
        z = self.bias + w[0] * score + w[1] * (score - mean) + w[2] * np.asarray(bank)
        result: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        return result

    def to_json(self) -> dict[str, list[float] | float]:
        """Rounded to six decimals for the manifest; `from_json` reads it back."""
        return {"weights": [round(w, 6) for w in self.weights], "bias": round(self.bias, 6)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ConfidenceModel:
        """Reads what `to_json` wrote; expects exactly three weights."""
        weights = [float(w) for w in data["weights"]]  # type: ignore[attr-defined]
        return cls((weights[0], weights[1], weights[2]), float(data["bias"]))  # type: ignore[arg-type]


def fit(features: np.ndarray, labels: np.ndarray, sample_weight: np.ndarray) -> ConfidenceModel:
    """Weighted logistic regression by Newton's method (four parameters, a few
    thousand examples: exact and instant, no solver library needed)."""
    x = np.column_stack([np.ones(len(features)), features]).astype(np.float64)
    y = labels.astype(np.float64)
    sw = sample_weight / sample_weight.mean()
    beta = np.zeros(x.shape[1])
    penalty = L2 * len(x) * np.eye(x.shape[1])
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -40.0, 40.0)))
        gradient = x.T @ (sw * (p - y)) + penalty @ beta
        hessian = (x * (sw * p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return ConfidenceModel((float(beta[1]), float(beta[2]), float(beta[3])), float(beta[0]))


def feature_rows(score: np.ndarray, mean: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """The model's inputs, one row per example (the order of `FEATURES`)."""
    return np.column_stack([score, score - mean, bank])


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """ROC AUC: how often a positive scores above a negative (ties count half)."""
    if not len(positive) or not len(negative):
        return float("nan")
    pos, neg = np.sort(np.asarray(positive)), np.sort(np.asarray(negative))
    below = np.searchsorted(neg, pos, side="left")
    not_above = np.searchsorted(neg, pos, side="right")
    return float(np.mean(below + 0.5 * (not_above - below)) / len(neg))
