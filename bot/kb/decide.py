"""Answer, clarify or decline, from ranked candidates and calibrated thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.kb.thresholds import Thresholds

if TYPE_CHECKING:  # search imports the index, which calibrates with MAX_CLARIFY
    from bot.kb.search import Candidate

Outcome = Literal["answer", "clarify", "no_answer"]
MAX_CLARIFY = 3


@dataclass(frozen=True)
class Decision:
    """What to do with a question; `candidates` are the ones to answer or offer."""

    outcome: Outcome
    candidates: tuple[Candidate, ...]

    small_talk: bool = False  # declined chit-chat ("tell me a joke"): not a gap


def decide(candidates: list[Candidate], thresholds: Thresholds) -> Decision:
    """Answer a sure winner, offer the first three when unsure, decline below `clarify`.

    `answer` and `clarify` are on the candidates' confidence (confidence.py);
    `margin` compares their scores (`is_close`): a confident score is not enough
    when another entry scores almost as high, because presenting the wrong one of two
    near-equals is the error customers notice most. Offering three buttons
    whenever unsure costs a glance and finds the right entry far more often
    than offering only the close ones (right among the first three: 0.91 of
    the demo chat set, first: 0.74).
    """
    if not candidates or candidates[0].confidence < thresholds.clarify:
        return Decision(
            "no_answer", tuple(candidates[:MAX_CLARIFY]), is_small_talk(candidates, thresholds)
        )
    top = candidates[0]
    close = [c for c in candidates[1:MAX_CLARIFY] if is_close(top, c, thresholds)]
    if top.confidence >= thresholds.answer and not close:
        return Decision("answer", (top,))
    return Decision("clarify", tuple(candidates[:MAX_CLARIFY]))


def is_close(top: Candidate, other: Candidate, thresholds: Thresholds) -> bool:
    """`other` is a serious rival to `top`: sure enough to offer, and its distance
    (1 - score) within `1 / thresholds.margin` times top's. A ratio, not a gap:
    0.95 against 0.78 is a clear winner (a near-exact match beside a sibling
    entry), 0.60 against 0.50 is not, though the gap is smaller."""
    distances_alike = (1.0 - top.score) >= thresholds.margin * (1.0 - other.score)
    return worth_offering(other, thresholds) and distances_alike


def is_small_talk(candidates: list[Candidate], thresholds: Thresholds) -> bool:
    """Nearer a bundled out-of-scope message than any entry, and nearer than
    the KB's own questions come to those messages (`thresholds.small_talk`):
    chit-chat, not a question the KB lacks. "Do you sell tea?" in a coffee
    shop stays a gap for the editors."""
    top = candidates[0] if candidates else None
    return top is not None and top.out_of_scope > max(top.score, thresholds.small_talk)


def worth_offering(candidate: Candidate, thresholds: Thresholds) -> bool:
    """Sure enough to be offered as a button, or to route a handoff by."""
    return candidate.confidence >= thresholds.clarify
