from __future__ import annotations

from bot.kb.decide import decide, worth_offering
from bot.kb.search import Candidate
from bot.kb.thresholds import Thresholds

T = Thresholds(answer=0.7, clarify=0.5, margin=0.7)  # close: top's distance >= 0.7 x its


def cand(faq_id: str, score: float, confidence: float) -> Candidate:
    return Candidate(faq_id, score, score, 0.0, faq_id, "en", confidence=confidence)


def test_a_sure_winner_is_answered() -> None:
    decision = decide([cand("a", 0.9, 0.95), cand("b", 0.6, 0.3)], T)
    assert decision.outcome == "answer"
    assert [c.faq_id for c in decision.candidates] == ["a"]


def test_a_close_runner_up_makes_it_a_clarify_with_three_buttons() -> None:
    ranked = [cand("a", 0.9, 0.9), cand("b", 0.88, 0.85), cand("c", 0.7, 0.2), cand("d", 0.6, 0.1)]
    decision = decide(ranked, T)
    assert decision.outcome == "clarify"
    assert [c.faq_id for c in decision.candidates] == ["a", "b", "c"]


def test_a_runner_up_within_the_margin_but_unsure_does_not_stop_the_answer() -> None:
    decision = decide([cand("a", 0.9, 0.9), cand("b", 0.88, 0.4)], T)
    assert decision.outcome == "answer"


def test_between_the_thresholds_the_first_three_are_offered() -> None:
    decision = decide([cand("a", 0.6, 0.6), cand("b", 0.5, 0.3), cand("c", 0.3, 0.1)], T)
    assert decision.outcome == "clarify"
    assert [c.faq_id for c in decision.candidates] == ["a", "b", "c"]


def test_the_score_does_not_decide_the_confidence_does() -> None:
    """A high similarity with low confidence (a message near everything) is declined."""
    assert decide([cand("a", 0.95, 0.49), cand("b", 0.4, 0.1)], T).outcome == "no_answer"
    assert decide([], T).outcome == "no_answer"
    assert not worth_offering(cand("a", 0.95, 0.49), T)
    assert worth_offering(cand("a", 0.3, 0.5), T)


def test_never_answers_below_the_answer_threshold() -> None:
    decision = decide([cand("a", 0.9, 0.69)], T)
    assert decision.outcome == "clarify"
    assert [c.faq_id for c in decision.candidates] == ["a"]


def test_declined_chit_chat_is_small_talk_not_a_gap() -> None:
    calibrated = Thresholds(answer=0.7, clarify=0.5, margin=0.05, small_talk=0.5)

    def message(score: float, confidence: float, out_of_scope: float) -> Candidate:
        return Candidate(
            "e", score, score, 0.0, "e", "en", confidence=confidence, out_of_scope=out_of_scope
        )

    assert decide([message(0.33, 0.03, 0.9)], calibrated).small_talk  # "tell me a joke"
    assert not decide([message(0.30, 0.1, 0.34)], calibrated).small_talk  # "do you sell tea?"
    assert not decide([message(0.60, 0.3, 0.55)], calibrated).small_talk  # nearer an entry
    assert not decide([message(0.9, 0.95, 0.95)], calibrated).small_talk  # answered
    assert not decide([message(0.33, 0.03, 0.9)], T).small_talk  # not calibrated: never


def test_closeness_is_a_ratio_of_distances_not_a_gap() -> None:
    """0.95 beside a sibling at 0.78 is a clear winner; 0.60 beside 0.52 is not."""
    exact = decide([cand("cancel", 0.95, 0.99), cand("pause", 0.78, 0.9)], T)
    assert exact.outcome == "answer"
    vague = decide([cand("a", 0.60, 0.8), cand("b", 0.52, 0.6)], T)
    assert vague.outcome == "clarify"
