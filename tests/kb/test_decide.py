from __future__ import annotations

from bot.kb.decide import decide
from bot.kb.search import Candidate
from bot.settings import Thresholds

T = Thresholds(answer=0.7, clarify=0.5, margin=0.05)


def cand(faq_id: str, score: float) -> Candidate:
    return Candidate(faq_id, score, score, 0.0, faq_id, "en")


def test_decide_clear_winner_is_answered() -> None:
    decision = decide([cand("a", 0.9), cand("b", 0.6)], T)
    assert decision.outcome == "answer"
    assert [c.faq_id for c in decision.candidates] == ["a"]


def test_decide_close_runner_up_is_clarified() -> None:
    decision = decide([cand("a", 0.9), cand("b", 0.88), cand("c", 0.87), cand("d", 0.86)], T)
    assert decision.outcome == "clarify"
    assert [c.faq_id for c in decision.candidates] == ["a", "b", "c"]


def test_decide_middle_score_offers_top_two() -> None:
    decision = decide([cand("a", 0.6), cand("b", 0.52), cand("c", 0.3)], T)
    assert decision.outcome == "clarify"
    assert [c.faq_id for c in decision.candidates] == ["a", "b"]


def test_decide_below_clarify_declines() -> None:
    assert decide([cand("a", 0.49), cand("b", 0.4)], T).outcome == "no_answer"
    assert decide([], T).outcome == "no_answer"


def test_decide_never_answers_below_answer_threshold() -> None:
    decision = decide([cand("a", 0.69)], T)
    assert decision.outcome == "clarify"
    assert [c.faq_id for c in decision.candidates] == ["a"]
