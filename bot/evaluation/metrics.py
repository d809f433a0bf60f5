"""Rates per language, the threshold curve, confusions and the slowest queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from bot.evaluation.dataset import LENGTH_BUCKETS
from bot.evaluation.run import EvalResult
from bot.kb.confidence import auc
from bot.kb.decide import decide
from bot.kb.thresholds import Thresholds

IN_SCOPE_VERDICTS = ("correct", "clarified", "wrong", "wrong_clarify", "declined")


@dataclass(frozen=True)
class LanguageRates:
    """Verdict shares of one language (or "all", or a length bucket), for the report's tables."""

    lang: str
    in_scope: int
    out_of_scope: int
    rates: dict[str, float]  # in-scope verdict shares, plus oos_declined / oos_answered

    @property
    def answered_ok(self) -> float:
        """Answered correctly, or offered the right entry among clarify buttons."""
        return self.rates["correct"] + self.rates["clarified"]


def rates_by_language(results: list[EvalResult]) -> list[LanguageRates]:
    """Rates per language, sorted, then a final "all" row."""
    langs = sorted({r.question.lang for r in results})
    return [_rates(lang, [r for r in results if r.question.lang == lang]) for lang in langs] + [
        _rates("all", results)
    ]


def rates_by_length(results: list[EvalResult]) -> list[LanguageRates]:
    """The same rates per message length in words (`LENGTH_BUCKETS`): long chat
    messages with greetings and context are where a FAQ-style set says least."""
    return [
        _rates(name, [r for r in results if r.question.length_bucket == name])
        for _, _, name in LENGTH_BUCKETS
        if any(r.question.length_bucket == name for r in results)
    ]


def separation_auc(results: list[EvalResult], by: str = "confidence") -> float | None:
    """How well the top candidate's confidence (or, `by="score"`, its similarity
    alone) tells answerable messages from out-of-scope ones (ROC AUC; 0.5 is
    chance); None without both kinds."""
    inside = [getattr(r.candidates[0], by) for r in results if r.in_scope and r.candidates]
    outside = [getattr(r.candidates[0], by) for r in results if not r.in_scope and r.candidates]
    if not inside or not outside:
        return None
    return auc(np.asarray(inside), np.asarray(outside))


def replay(results: list[EvalResult], trial: Thresholds) -> dict[str, float]:
    """`decide` again on every result's stored candidates with `trial`: shares of
    answerable messages answered correctly, answered or clarified correctly, and
    answered wrongly, and of out-of-scope ones declined."""
    correct = ok = wrong = declined = inside = outside = 0
    for result in results:
        decision = decide(list(result.candidates), trial)
        if not result.in_scope:
            outside += 1
            declined += decision.outcome == "no_answer"
            continue
        inside += 1
        right = bool({c.faq_id for c in decision.candidates} & set(result.question.accepted))
        answered = decision.outcome == "answer"
        correct += answered and right
        wrong += answered and not right
        ok += decision.outcome != "no_answer" and right
    return {
        "correct": correct / max(inside, 1),
        "ok": ok / max(inside, 1),
        "wrong": wrong / max(inside, 1),
        "oos_declined": declined / max(outside, 1),
    }


def tradeoff_curve(
    results: list[EvalResult], thresholds: Thresholds, points: int = 25
) -> list[dict[str, float]]:
    """Answered-or-clarified correctly against out-of-scope declined as both
    thresholds move together (the band and margin kept): what a stricter or a
    more forward bot would give on these messages."""
    curve = []
    for shift in np.linspace(-0.3, 0.3, points):
        trial = replace(
            thresholds,
            answer=thresholds.answer + float(shift),
            clarify=thresholds.clarify + float(shift),
        )
        rates = replay(results, trial)
        curve.append(
            {
                "shift": float(shift),
                "ok": rates["ok"],
                "wrong": rates["wrong"],
                "oos_declined": rates["oos_declined"],
            }
        )
    return curve


def _rates(lang: str, results: list[EvalResult]) -> LanguageRates:
    inside = [r for r in results if r.in_scope]
    outside = [r for r in results if not r.in_scope]
    verdicts = Counter(r.verdict for r in inside)
    rates = {v: verdicts[v] / len(inside) if inside else 0.0 for v in IN_SCOPE_VERDICTS}
    oos = Counter(r.verdict for r in outside)
    rates["oos_declined"] = oos["declined"] / len(outside) if outside else 0.0
    rates["oos_answered"] = oos["answered"] / len(outside) if outside else 0.0
    near = [r for r in outside if r.question.near]
    rates["near_declined"] = (
        sum(r.verdict == "declined" for r in near) / len(near) if near else float("nan")
    )
    return LanguageRates(lang, len(inside), len(outside), rates)


def threshold_curve(
    results: list[EvalResult], thresholds: Thresholds, points: int = 41
) -> list[dict[str, float]]:
    """Re-decide every question as the answer threshold moves (clarify band and margin
    kept), to show what each choice of threshold would cost and win. Thresholds
    are on the confidence scale (bot/kb/confidence.py)."""
    scores = [c.confidence for r in results for c in r.candidates[:1]]
    if not scores:
        return []
    low, high = float(np.percentile(scores, 1)), float(np.percentile(scores, 99))
    band = thresholds.answer - thresholds.clarify
    curve = []
    for answer in np.linspace(low, high, points):
        trial = replace(thresholds, answer=float(answer), clarify=float(answer) - band)
        rates = replay(results, trial)
        curve.append(
            {
                "answer_threshold": float(answer),
                "correct": rates["correct"],
                "wrong": rates["wrong"],
                "oos_declined": rates["oos_declined"],
            }
        )
    return curve


def confusions(results: list[EvalResult], top: int = 15) -> list[tuple[str, str, int]]:
    """The most frequent (expected, answered) pairs among wrong answers, out of scope included."""
    pairs = Counter(
        (r.question.expected or "(out of scope)", r.predicted[0])
        for r in results
        if r.verdict in ("wrong", "answered")
    )
    return [(expected, got, n) for (expected, got), n in pairs.most_common(top)]


def slowest(results: list[EvalResult], top: int = 10) -> list[EvalResult]:
    """The `top` slowest questions."""
    return sorted(results, key=lambda r: -r.latency_ms)[:top]


def latency_percentiles(results: list[EvalResult]) -> dict[str, float]:
    """p50, p95 and p99 of the per-question latency in milliseconds; needs at least one result."""
    latencies = np.array([r.latency_ms for r in results])
    return {f"p{p}": float(np.percentile(latencies, p)) for p in (50, 95, 99)}
