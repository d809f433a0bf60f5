"""The evaluation as a terminal table, a PNG plot and an HTML page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from bot.evaluation.metrics import (
    LanguageRates,
    confusions,
    latency_percentiles,
    rates_by_language,
    rates_by_length,
    separation_auc,
    slowest,
    threshold_curve,
    tradeoff_curve,
)
from bot.evaluation.run import EvalResult
from bot.kb.thresholds import Thresholds

COLUMNS = (
    ("correct", "answered ok"),
    ("clarified", "clarified ok"),
    ("wrong", "wrong"),
    ("wrong_clarify", "clarify w/o it"),
    ("declined", "declined"),
    ("oos_declined", "OOS declined"),
    ("oos_answered", "OOS answered"),
    ("near_declined", "near declined"),
)


def table(rows: list[LanguageRates], label: str = "lang") -> str:
    """A fixed-width text table of the rates, one row per language or length bucket."""
    header = f"{label:6} {'n':>4} {'oos':>4} " + " ".join(f"{t:>14}" for _, t in COLUMNS)
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = " ".join(f"{row.rates[key]:>14.3f}" for key, _ in COLUMNS)
        lines.append(f"{row.lang:6} {row.in_scope:>4} {row.out_of_scope:>4} {cells}")
    return "\n".join(lines)


def _by_language(results: list[EvalResult]) -> dict[str, list[EvalResult]]:
    langs = sorted({r.question.lang for r in results})
    return {lang: [r for r in results if r.question.lang == lang] for lang in langs} | {
        "all": results
    }


def summary(results: list[EvalResult], thresholds: Thresholds) -> dict[str, Any]:
    """Everything the report prints, as JSON-ready data."""
    return {
        "thresholds": thresholds.__dict__,
        "languages": [
            {"lang": r.lang, "in_scope": r.in_scope, "out_of_scope": r.out_of_scope, **r.rates}
            for r in rates_by_language(results)
        ],
        "lengths": [
            {"words": r.lang, "in_scope": r.in_scope, "out_of_scope": r.out_of_scope, **r.rates}
            for r in rates_by_length(results)
        ],
        "separation_auc": {
            lang: separation_auc(group) for lang, group in _by_language(results).items()
        },
        "separation_auc_top_score": {
            lang: separation_auc(group, "score") for lang, group in _by_language(results).items()
        },
        "latency_ms": latency_percentiles(results),
        "confusions": confusions(results),
        "slowest": [
            {"text": r.question.text, "ms": round(r.latency_ms, 1)} for r in slowest(results)
        ],
    }


def print_report(results: list[EvalResult], thresholds: Thresholds) -> None:
    """Print the evaluation report to stdout."""
    data = summary(results, thresholds)
    print(table(rates_by_language(results)))
    print("\nby message length (words):")
    print(table(rates_by_length(results), "words"))
    for key, by in (("separation_auc", "confidence"), ("separation_auc_top_score", "top score")):
        auc = ", ".join(f"{lang} {value:.3f}" for lang, value in data[key].items() if value)
        print(f"\nseparation of answerable from out-of-scope by the {by} (AUC): {auc}")
    latency = data["latency_ms"]
    print(
        f"\nper-turn search latency: p50 {latency['p50']:.1f} ms, "
        f"p95 {latency['p95']:.1f} ms, p99 {latency['p99']:.1f} ms"
    )
    print("\nconfusions (expected -> answered):")
    for expected, got, n in data["confusions"]:
        print(f"  {n:3d}  {expected} -> {got}")
    print("\nslowest queries:")
    for item in data["slowest"][:5]:
        print(f"  {item['ms']:7.1f} ms  {item['text'][:70]}")


def write_report(results: list[EvalResult], thresholds: Thresholds, out_dir: Path) -> Path:
    """Write summary.json, threshold_curve.png and index.html; return the page's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = summary(results, thresholds)
    curve = threshold_curve(results, thresholds)
    data["threshold_curve"] = curve
    tradeoffs = {
        lang: tradeoff_curve(group, thresholds) for lang, group in _by_language(results).items()
    }
    data["tradeoff_curves"] = tradeoffs
    (out_dir / "summary.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
    _plot(curve, thresholds, out_dir / "threshold_curve.png")
    _plot_tradeoffs(tradeoffs, out_dir / "tradeoff.png")
    page = out_dir / "index.html"
    page.write_text(_page(results, data), encoding="utf-8")
    return page


def _plot(curve: list[dict[str, float]], thresholds: Thresholds, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [p["answer_threshold"] for p in curve]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    ax.plot(x, [p["correct"] for p in curve], label="in scope: answered correctly")
    ax.plot(x, [p["wrong"] for p in curve], label="in scope: answered wrongly")
    ax.plot(x, [p["oos_declined"] for p in curve], label="out of scope: declined")
    ax.axvline(thresholds.answer, color="grey", linestyle="--", label="chosen answer threshold")
    ax.axhline(0.03, color="red", linewidth=0.6, linestyle=":")
    ax.axhline(0.90, color="green", linewidth=0.6, linestyle=":")
    ax.set_xlabel("answer threshold (fused score)")
    ax.set_ylabel("share of questions")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="center left", fontsize=8)
    ax.set_title("Answer threshold: what it wins and what it costs")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _plot_tradeoffs(curves: dict[str, list[dict[str, float]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=110)
    for lang, curve in curves.items():
        style = {"linewidth": 2.4, "color": "black"} if lang == "all" else {"linewidth": 1.2}
        ax.plot([p["oos_declined"] for p in curve], [p["ok"] for p in curve], label=lang, **style)
        chosen = curve[len(curve) // 2]
        ax.plot(chosen["oos_declined"], chosen["ok"], "o", color=style.get("color"), markersize=4)
    ax.axhline(0.92, color="green", linewidth=0.6, linestyle=":")
    ax.axvline(0.92, color="green", linewidth=0.6, linestyle=":")
    ax.set_xlabel("out of scope: declined")
    ax.set_ylabel("in scope: answered or clarified correctly")
    ax.set_xlim(0, 1.01)
    ax.set_ylim(0, 1.01)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Both thresholds moved together (dot: the calibrated ones)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _page(results: list[EvalResult], data: dict[str, Any]) -> str:
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td>{}</tr>".format(
            html.escape(lang["lang"]),
            lang["in_scope"],
            lang["out_of_scope"],
            "".join(f"<td>{lang[key]:.1%}</td>" for key, _ in COLUMNS),
        )
        for lang in data["languages"]
    )
    length_rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td>{}</tr>".format(
            html.escape(bucket["words"]),
            bucket["in_scope"],
            bucket["out_of_scope"],
            "".join(f"<td>{bucket[key]:.1%}</td>" for key, _ in COLUMNS),
        )
        for bucket in data["lengths"]
    )
    auc = ", ".join(
        f"{html.escape(lang)} {value:.3f}"
        for lang, value in data["separation_auc"].items()
        if value is not None
    )
    auc_score = ", ".join(
        f"{html.escape(lang)} {value:.3f}"
        for lang, value in data["separation_auc_top_score"].items()
        if value is not None
    )
    heads = "".join(f"<th>{html.escape(title)}</th>" for _, title in COLUMNS)
    wrong = "".join(
        f"<tr><td>{html.escape(r.question.lang)}</td><td>{html.escape(r.question.text)}</td>"
        f"<td>{html.escape(', '.join(r.question.accepted) or '(out of scope)')}</td>"
        f"<td>{html.escape(', '.join(r.predicted))}</td><td>{r.verdict}</td></tr>"
        for r in results
        if r.verdict in ("wrong", "wrong_clarify", "answered")
    )
    latency = data["latency_ms"]
    return f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>Svar answer quality</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}}
td:nth-child(2),td:first-child{{text-align:left}}</style>
<h1>Answer quality</h1>
<p>Thresholds: {html.escape(json.dumps(data["thresholds"]))}.
Search latency p50 {latency["p50"]:.1f} ms, p95 {latency["p95"]:.1f} ms.</p>
<table><tr><th>lang</th><th>in scope</th><th>out of scope</th>{heads}</tr>{rows}</table>
<h2>By message length (words)</h2>
<table><tr><th>words</th><th>in scope</th><th>out of scope</th>{heads}</tr>{length_rows}</table>
<p>Separation of answerable from out-of-scope messages (ROC AUC) by the top
candidate's confidence: {auc}; by its score alone: {auc_score}.</p>
<h2>Answered-or-clarified against out-of-scope declined</h2>
<img src="tradeoff.png" alt="trade-off curve per language" width="600">
<h2>Threshold curve</h2><img src="threshold_curve.png" alt="threshold curve" width="700">
<h2>Wrong answers and answered out-of-scope questions</h2>
<table><tr><th>lang</th><th>question</th><th>expected</th><th>got</th><th>verdict</th></tr>
{wrong}</table></html>
"""
