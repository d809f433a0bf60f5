"""The public graded set, turn by turn: how well do the signals separate frustrated turns?

Each customer turn is scored alone, as the first turn of a conversation: the word
signals with their weights, and (when a model applies) the model's tone signal.
Reported on the held-out split (the model never saw it) and the dev split: AUC for
turns most graders put at 3 or more, and recall and precision at the operating
point where one turn alone offers a person (`frustration_offer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.handoff import public_set
from bot.handoff.frustration import WEIGHTS, read_frustration, tone_signal, word_signals
from bot.handoff.meaning import Meaning


@dataclass(frozen=True)
class PublicScore:
    """How the frustration signals do on one split of the
    public graded set, at the offer threshold.
    """

    name: str
    turns: int
    auc: float
    recall: float
    precision: float
    flagged: float  # share of turns at or above the operating point


def turn_score(text: str, meaning: Meaning | None) -> tuple[float, float]:
    """(signal score as the bot adds it up, the model's probability or 0 to break ties)."""
    p = read_frustration(meaning, text)
    found = word_signals(text, p)
    if (tone := tone_signal(p, meaning, text)) is not None:
        found.append(tone)
    return sum(WEIGHTS[signal] for signal, _ in found), p or 0.0


def measure(
    name: str, turns: list[public_set.GradedTurn], meaning: Meaning | None, offer: float
) -> PublicScore:
    """Score each turn alone (no conversation context): AUC of the signal score, and recall,
    precision and share flagged at `offer`.
    """
    from sklearn.metrics import roc_auc_score

    y = np.array([t.frustrated for t in turns])
    scored = [turn_score(t.text, meaning) for t in turns]
    # Rank by the signal score, ties broken by the model's reading.
    rank = np.array([score + 0.001 * p for score, p in scored])
    pred = np.array([score >= offer for score, _ in scored])
    tp = float(np.sum(pred & y))
    return PublicScore(
        name,
        len(turns),
        float(roc_auc_score(y, rank)),
        tp / max(int(np.sum(y)), 1),
        tp / max(int(np.sum(pred)), 1),
        float(np.mean(pred)),
    )


def public_report(
    meaning: Meaning | None, offer: float, path: Path = public_set.DEFAULT_PATH
) -> str:
    """Words alone against words and meaning, on both splits (Markdown)."""
    if not path.exists():
        return f"public graded set: not found at {path} (skipped)"
    turns = public_set.load(path)
    rows = []
    for split in ("test", "dev"):
        part = [t for t in turns if t.split == split]
        rows.append(measure(f"{split}, words only", part, None, offer))
        if meaning is not None and "frustration" in meaning.models:
            rows.append(measure(f"{split}, words + meaning", part, meaning, offer))
    positives = sum(1 for t in turns if t.frustrated)
    lines = [
        f"public graded set ({path.parent.name}): {len(turns)} customer turns, "
        f"{positives} graded >= 3 by most graders; split by dialogue hash "
        f"(test = held out from training); operating point: one turn alone offers a "
        f"person (score >= {offer})",
        "",
        "| split, signals | turns | AUC | recall | precision | flagged |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.turns} | {r.auc:.3f} | {r.recall:.0%} | {r.precision:.0%} | "
            f"{r.flagged:.0%} |"
        )
    return "\n".join(lines)
