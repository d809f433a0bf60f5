"""Server-side SVG charts of the weekly analytics: no browser code, no plotting library.

matplotlib took 0.8-1.5 s for the five charts of a 52-week page, more than the
figures themselves; these are a few string joins. Each chart is a complete SVG
document with a <title> per mark, so a hover shows the number and its base.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 28, 36
COLOURS = ("#155eef", "#f79009", "#12b76a", "#d92d20", "#7a5af8", "#667085", "#06aed4")
RATES = (
    ("resolved", "resolved (confirmed + assumed)"),
    ("durable_7d", "durable 7 days"),
    ("recontact_7d", "re-contact 7 days"),
    ("no_answer", "no answer"),
)


def _frame(title: str, body: list[str], legend: Sequence[str] = ()) -> bytes:
    keys, x = [], float(LEFT)
    for i, name in enumerate(legend):  # each key as wide as its label (about 6 px a letter)
        keys.append(
            f'<rect x="{x:.0f}" y="{HEIGHT - 12}" width="9" height="9" fill="{COLOURS[i % 7]}"/>'
            f'<text x="{x + 12:.0f}" y="{HEIGHT - 4}">{escape(name)}</text>'
        )
        x += 24 + 6 * len(name)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="10">'
        f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="13">{escape(title)}</text>'
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="#98a2b3"/>{"".join(body)}{"".join(keys)}</svg>'
    )
    return svg.encode()


def _y(value: float, top: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return HEIGHT - BOTTOM - (span * value / top if top else 0)


def _axis(labels: Sequence[str], top: float, unit: str = "") -> list[str]:
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    every = max(1, len(labels) // 13)  # at most 13 labels along the axis
    marks = [
        f'<text x="{LEFT + step * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 12}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    marks.append(f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{top:g}{unit}</text>')
    marks.append(f'<text x="{LEFT - 4}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>')
    return marks


def stacked_bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], unit: str = ""
) -> bytes:
    """Bars per label, one colour per series stacked; the top is the largest stack."""
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axis(labels, top, unit)
    for i, label in enumerate(labels):
        base = 0.0
        for k, (name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            y0, y1 = _y(base, top), _y(base + value, top)
            body.append(
                f'<rect x="{LEFT + step * i + step * 0.15:.1f}" y="{y1:.1f}" '
                f'width="{step * 0.7:.1f}" height="{y0 - y1:.1f}" fill="{COLOURS[k % 7]}">'
                f"<title>{escape(label)} {escape(name)}: {value:g}{unit}</title></rect>"
            )
            base += value
    return _frame(title, body, [name for name, _ in series] if len(series) > 1 else ())


def lines(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> bytes:
    """Percent lines per label; a missing value breaks the line."""
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axis(labels, 100, "%")
    for k, (name, values) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
                continue
            x, y = LEFT + step * (i + 0.5), _y(100 * v, 100)
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COLOURS[k % 7]}">'
                f"<title>{escape(name)}: {100 * v:.0f}%</title></circle>"
            )
        body += [
            f'<polyline points="{" ".join(r)}" fill="none" stroke="{COLOURS[k % 7]}"/>'
            for r in runs
            if len(r) > 1
        ]
    return _frame(title, body, [name for name, _ in series])


def grouped_bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> bytes:
    """Percent bars side by side per label (for categories, where a line means nothing)."""
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = step * 0.8 / max(len(series), 1)
    body = _axis(labels, 100, "%")
    for i, label in enumerate(labels):
        for k, (name, values) in enumerate(series):
            value = values[i]
            if value is None:
                continue
            y = _y(100 * value, 100)
            body.append(
                f'<rect x="{LEFT + step * (i + 0.1) + width * k:.1f}" y="{y:.1f}" '
                f'width="{width:.1f}" height="{HEIGHT - BOTTOM - y:.1f}" fill="{COLOURS[k % 7]}">'
                f"<title>{escape(label)} {escape(name)}: {100 * value:.0f}%</title></rect>"
            )
    return _frame(title, body, [name for name, _ in series])


def _short(weeks: list[dict[str, Any]]) -> list[str]:
    return [w["week"][5:] for w in weeks]


def conversations_chart(weeks: list[dict[str, Any]]) -> bytes:
    """SVG bars of conversations with at least one question, per analytics week."""
    return stacked_bars(
        "Conversations per week (with a question)",
        _short(weeks),
        [("conversations", [w["conversations"] for w in weeks])],
    )


def rates_chart(weeks: list[dict[str, Any]]) -> bytes:
    """SVG lines of the resolution rates (RATES) per week, in percent; a week without a base is a
    gap.
    """
    return lines(
        "Resolution per week (%)",
        _short(weeks),
        [(name, [_rate_of(w, key) for w in weeks]) for key, name in RATES],
    )


def _rate_of(row: dict[str, Any], key: str) -> float | None:
    found = row["resolution"].get(key) or row.get(key)
    return found["rate"] if isinstance(found, dict) else found


def handoff_reasons_chart(weeks: list[dict[str, Any]]) -> bytes:
    """SVG stacked bars of the handoff rate per reason and week; a flat "no handoffs" series when
    there were none, so the chart still draws.
    """
    reasons = sorted({r for w in weeks for r in w["handoff_rate_by_reason"]})
    series = [
        (r, [100 * (w["handoff_rate_by_reason"].get(r) or 0.0) for w in weeks]) for r in reasons
    ]
    title = "Handoff rate by reason (% of conversations)"
    return stacked_bars(title, _short(weeks), series or [("no handoffs", [0.0] * len(weeks))], "%")


def breakdown_chart(rows: list[dict[str, Any]], title: str) -> bytes:
    """SVG grouped bars of the resolution rates per breakdown row (its "key": a language, a
    channel).
    """
    return grouped_bars(
        title + " (%)",
        [r["key"] for r in rows],
        [(name, [_rate_of(r, key) for r in rows]) for key, name in RATES],
    )
