"""Server-side PNG charts of the weekly analytics (matplotlib, no browser code to maintain)."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on a server

import matplotlib.pyplot as plt

RATES = (
    ("deflection_rate", "deflection"),
    ("no_answer_rate", "no answer"),
    ("helpfulness_rate", "helpful"),
    ("repeat_contact_rate", "repeat contact"),
    ("handoff_rate", "handoff"),
)


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return buffer.getvalue()


def conversations_chart(weeks: list[dict[str, Any]]) -> bytes:
    figure, axes = plt.subplots(figsize=(6, 2.8))
    labels = [w["week"][5:] for w in weeks]
    axes.bar(labels, [w["conversations"] for w in weeks], color="#155eef")
    axes.set_title("Conversations per week")
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def rates_chart(weeks: list[dict[str, Any]]) -> bytes:
    figure, axes = plt.subplots(figsize=(6, 2.8))
    labels = [w["week"][5:] for w in weeks]
    positions = list(range(len(labels)))  # numeric, so weeks without data keep their place
    for key, name in RATES:
        values = [w[key] if w[key] is not None else float("nan") for w in weeks]
        axes.plot(positions, [v * 100 for v in values], marker="o", label=name)
    axes.set_xticks(positions, labels)
    axes.set_ylim(0, 100)
    axes.set_ylabel("%")
    axes.set_title("Rates per week")
    axes.legend(fontsize=7, ncols=3, loc="upper left")
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def handoff_reasons_chart(weeks: list[dict[str, Any]]) -> bytes:
    figure, axes = plt.subplots(figsize=(6, 2.8))
    labels = [w["week"][5:] for w in weeks]
    reasons = sorted({r for w in weeks for r in w["handoff_rate_by_reason"]})
    bottom = [0.0] * len(weeks)
    for reason in reasons:
        values = [100 * (w["handoff_rate_by_reason"].get(reason) or 0.0) for w in weeks]
        axes.bar(labels, values, bottom=bottom, label=reason)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title("Handoff rate by reason (% of conversations)")
    if reasons:
        axes.legend(fontsize=7)
    else:
        axes.bar(labels, [0] * len(labels))
        axes.set_ylim(0, 10)
        axes.text(0.5, 0.5, "no handoffs", transform=axes.transAxes, ha="center", color="gray")
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def breakdown_chart(rows: list[dict[str, Any]], title: str) -> bytes:
    figure, axes = plt.subplots(figsize=(6, 2.8))
    keys = [r["key"] for r in rows]
    positions = range(len(keys))
    for offset, (field, name) in enumerate(
        (("deflection_rate", "deflection"), ("no_answer_rate", "no answer"))
    ):
        values = [100 * (r[field] or 0.0) for r in rows]
        axes.bar([p + offset * 0.4 for p in positions], values, width=0.4, label=name)
    axes.set_xticks([p + 0.2 for p in positions], keys)
    axes.set_ylim(0, 100)
    axes.set_title(title)
    axes.legend(fontsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
