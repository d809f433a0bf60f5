"""The whole `bot handoff eval` report: every dialogue set by split, then the public set.

The dev set is what words, weights and thresholds were chosen on; the test set
(data/eval/handoff_test_dialogues.yml) was written before any tuning and only
measures. Reading both side by side shows how much of the dev score is tuning.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from bot.handoff.evaluation import evaluate, load_dialogues, load_split, report, sweep
from bot.handoff.meaning import reader
from bot.handoff.public_eval import public_report
from bot.handoff.reach import reach_report
from bot.runtime import Runtime


def full_report(rt: Runtime, paths: list[Path], with_sweep: bool = False) -> str:
    """One section per dialogue file (dev first), then the public graded set."""
    config = rt.settings.handoff
    # The public set is English: its turns are read with the English centroid.
    meaning = reader(rt.index.searcher().encoder, "en") if config.meaning else None
    used = "words and meaning" if meaning is not None else "words only"
    sections = [f"signals: {used}"]
    by_split = sorted(paths, key=lambda p: (load_split(p) != "dev", p.name))
    for path in by_split:
        dialogues = load_dialogues(path)
        started = time.perf_counter()
        outcomes = evaluate(rt, dialogues)
        per_turn = (time.perf_counter() - started) / max(sum(len(d.turns) for d in dialogues), 1)
        text = [
            f"## {path.name} (split: {load_split(path)})",
            "",
            report(outcomes, config),
            "",
            reach_report(outcomes),
            "",
            f"mean time per customer turn: {per_turn * 1000:.0f} ms (shared machine: noisy)",
        ]
        if with_sweep and load_split(path) == "dev":
            text += ["", sweep(rt, dialogues, [2.0, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0])]
        sections.append("\n".join(text))
    sections.append("## public graded set\n\n" + public_report(meaning, config.frustration_offer))
    return "\n\n".join(sections)


def words_only(rt: Runtime) -> Runtime:
    """The same runtime with the meaning models switched off (the signals before issue 16)."""
    config = replace(rt.settings.handoff, meaning=False)
    return replace(rt, settings=replace(rt.settings, handoff=config))
