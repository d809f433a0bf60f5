"""Rasa's custom-action round trip, measured on both sides of it.

Rasa's side: with `SVAR_ACTION_TIMING` (svar_rasa/action_client.py) every custom-action
call appends its time in Rasa (tracker and domain serialised, the request, the answer
validated and turned into events) and the HTTP request's alone to a file. The bot
service's side: its Prometheus counters, `svar_action_seconds` (the action call as the
service's HTTP layer sees it, from the request read to the response written) and
`svar_turn_seconds` (the turn alone, without rasa-sdk and the action adapter around it).
A `Probe` reads both before and after a measurement; the differences, per turn, split a
KB turn's time over a plain turn's into where it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.stack import Stack

TIMING_FILE = "action-timing.tsv"
_SAMPLE = re.compile(r"^(svar_action_seconds|svar_turn_seconds)_(sum|count)(\{[^}]*\})? (\S+)$")


def timing_env(workdir: Path) -> dict[str, str]:
    """The environment that makes Rasa time its action calls into the stack's workdir."""
    return {"SVAR_ACTION_TIMING": str(workdir / TIMING_FILE)}


@dataclass(frozen=True)
class Reading:
    """Totals so far: Rasa's action calls (count, ms in Rasa, ms in HTTP) and the service's
    action calls and turns (seconds)."""

    rasa_calls: int = 0
    rasa_ms: float = 0.0
    http_ms: float = 0.0
    service_s: float = 0.0
    turn_s: float = 0.0


def read(stack: Stack) -> Reading:
    """Both sides' totals now."""
    calls, rasa_ms, http_ms = 0, 0.0, 0.0
    timing = stack.workdir / TIMING_FILE
    if timing.exists():
        for line in timing.read_text().splitlines():
            _, total, http = line.split("\t")
            calls, rasa_ms, http_ms = calls + 1, rasa_ms + float(total), http_ms + float(http)
    service_s = turn_s = 0.0
    metrics = httpx.get(f"{stack.bot_url}/metrics", timeout=10).text
    for line in metrics.splitlines():
        found = _SAMPLE.match(line)
        if found and found.group(2) == "sum":
            if found.group(1) == "svar_action_seconds":
                service_s += float(found.group(4))
            else:
                turn_s += float(found.group(4))
    return Reading(calls, rasa_ms, http_ms, service_s, turn_s)


def per_turn(before: Reading, after: Reading, turns: int) -> dict[str, float]:
    """Mean ms per customer turn between two readings, each layer inside the one before."""
    return {
        "action calls": (after.rasa_calls - before.rasa_calls) / turns,
        "rasa action": (after.rasa_ms - before.rasa_ms) / turns,
        "http": (after.http_ms - before.http_ms) / turns,
        "service action": (after.service_s - before.service_s) * 1000 / turns,
        "service turn": (after.turn_s - before.turn_s) * 1000 / turns,
    }


def print_breakdown(
    rows: dict[str, dict[str, float]], stages: dict[str, dict[str, float]] | None = None
) -> None:
    """Where a KB turn's mean time over the plain turn's goes, layer by layer (ms).

    `rows`: per kind, the client's mean ("mean") and `per_turn`'s numbers, the plain
    turn first; `stages`: per KB kind, the mean ms of each bot-side stage (bench/stages.py).
    """
    plain_name, *kb_names = rows
    plain = rows[plain_name]
    lines: list[tuple[str, list[float]]] = []

    def add(label: str, values: list[float]) -> None:
        lines.append((label, values))

    kb = [rows[name] for name in kb_names]
    add("plain turn (client)", [plain["mean"] for _ in kb])
    add("KB turn (client)", [k["mean"] for k in kb])
    add("KB - plain", [k["mean"] - plain["mean"] for k in kb])
    layers = {  # each layer's own time: the one outside it less the one inside
        "  Rasa, outside the action call": ("mean", "rasa action"),
        "  Rasa's action client": ("rasa action", "http"),
        "  HTTP between the two": ("http", "service action"),
        "  rasa-sdk and the action": ("service action", "service turn"),
        "  the turn (in the service)": ("service turn", None),
    }
    for label, (outer, inner) in layers.items():

        def own(row: dict[str, float], outer: str = outer, inner: str | None = inner) -> float:
            return row[outer] - (row[inner] if inner else 0.0)

        add(label, [own(k) - own(plain) for k in kb])
    if stages:
        in_process = [stages[name] for name in kb_names]
        for stage in ("embedding", "search", "decision", "storage", "rest"):
            add(f"    {stage} (in process)", [s[stage] for s in in_process])
        add("    the turn (in process)", [s["turn"] for s in in_process])
    print("\nwhere a KB turn's time over a plain turn goes, mean ms per turn at one conversation")
    print(f"{'':36}" + "".join(f"{name:>18}" for name in kb_names))
    for label, values in lines:
        print(f"{label:36}" + "".join(f"{v:>18.1f}" for v in values))
    print(
        "custom-action calls per turn: "
        + ", ".join(f"{name} {rows[name]['action calls']:.2f}" for name in rows)
        + " (a KB-turn message Rasa routes to a response of its own makes none)"
    )
    print("per custom-action call, mean ms: Rasa's action client / HTTP / rasa-sdk and the action")
    for name in kb_names:
        k, calls = rows[name], max(rows[name]["action calls"], 1e-9)
        print(
            f"  {name}: {(k['rasa action'] - k['http']) / calls:.1f} / "
            f"{(k['http'] - k['service action']) / calls:.1f} / "
            f"{(k['service action'] - k['service turn']) / calls:.1f}; "
            f"the turn {k['service turn'] / calls:.1f}; the whole call in Rasa "
            f"{k['rasa action'] / calls:.1f}"
        )
