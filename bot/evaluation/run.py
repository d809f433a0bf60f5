"""Run every question through `answer_question`, exactly as the KB action does."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.evaluation.dataset import EvalQuestion
from bot.kb.search import Candidate
from bot.runtime import Runtime
from bot.turn import TurnContext, answer_question, read_here


@dataclass(frozen=True)
class EvalResult:
    """What the turn did with one evaluation question, and how long it took."""

    question: EvalQuestion
    outcome: str  # answer | clarify | no_answer | unreadable
    predicted: tuple[str, ...]  # the answered entry, or the offered ones
    answer_lang: str | None
    latency_ms: float
    candidates: tuple[Candidate, ...]

    @property
    def in_scope(self) -> bool:
        """Whether the question has an expected entry (else the bot should decline)."""
        return self.question.expected is not None

    @property
    def verdict(self) -> str:
        """correct | clarified | wrong | wrong_clarify | declined (in scope);
        declined | answered | clarified (out of scope)."""
        accepted = self.question.accepted
        if not accepted:
            return {"answer": "answered", "clarify": "clarified"}.get(self.outcome, "declined")
        if self.outcome == "answer":
            return "correct" if self.predicted[:1] and self.predicted[0] in accepted else "wrong"
        if self.outcome == "clarify":
            return "clarified" if set(accepted) & set(self.predicted) else "wrong_clarify"
        return "declined"


def evaluate(
    runtime: Runtime,
    questions: list[EvalQuestion],
    progress: Callable[[int], None] | None = None,
) -> list[EvalResult]:
    """Ask each question through the real answering path; the latency covers detecting the language
    and answering.
    """
    results = []
    for number, item in enumerate(questions):
        started = time.perf_counter()
        question = read_here(item.text, f"eval-{number}", runtime.settings)
        reply = answer_question(TurnContext.of(runtime), question)
        latency = (time.perf_counter() - started) * 1000
        if reply.kind == "answer" and reply.entry is not None:
            predicted: tuple[str, ...] = (reply.entry.id,)
            answer_lang: str | None = reply.entry.lang
        else:
            offered = reply.custom.get("candidates", []) if reply.kind == "clarify" else []
            predicted = tuple(c["faq_id"] for c in offered)
            answer_lang = None
        results.append(
            EvalResult(item, reply.kind, predicted, answer_lang, latency, reply.candidates)
        )
        if progress:
            progress(1)
    return results
