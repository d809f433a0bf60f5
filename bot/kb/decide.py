"""Answer, clarify or decline, from ranked candidates and calibrated thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.kb.search import Candidate
from bot.settings import Thresholds

Outcome = Literal["answer", "clarify", "no_answer"]
MAX_CLARIFY = 3


@dataclass(frozen=True)
class Decision:
    """What to do with a question; `candidates` are the ones to answer or offer."""

    outcome: Outcome
    candidates: tuple[Candidate, ...]


def decide(candidates: list[Candidate], thresholds: Thresholds) -> Decision:
    """Answer a clear winner, offer close runners-up, decline below `clarify`.

    The margin to the runner-up drives clarification: a confident score is not
    enough when another entry scores almost as high, because presenting the
    wrong one of two near-equals is the error customers notice most.
    """
    if not candidates or candidates[0].score < thresholds.clarify:
        return Decision("no_answer", tuple(candidates[:MAX_CLARIFY]))
    top = candidates[0]
    close = [
        c
        for c in candidates[1:MAX_CLARIFY]
        if c.score >= thresholds.clarify and top.score - c.score < thresholds.margin
    ]
    if top.score >= thresholds.answer and not close:
        return Decision("answer", (top,))
    offered = [top, *close]
    if len(offered) == 1 and len(candidates) > 1 and candidates[1].score >= thresholds.clarify:
        offered.append(candidates[1])
    return Decision("clarify", tuple(offered))
