"""`bot handoff held-out`: each dev dialogue file replayed by meaning models that never saw it.

`bot handoff train` learns frustration from every dev dialogue file's turns, so `bot handoff
eval` on those files shows what the models remember, not what they would read in words nobody
wrote down for them. The test files answer that, but each look at them spends some of their
blindness. This answers it on the dev files instead, as cross-validation does: for each file,
train both models on the others (and on everything else `bot handoff train` reads), then replay
the file through the real turn with those models. The word lists and weights were still chosen
on these files; only the models are held out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.evaluation.handoff import evaluate
from bot.handoff.evaluation import Outcome, load_dialogues
from bot.handoff.reach import Reach, reach, wrong
from bot.handoff.train_models import require_dev, train
from bot.kb.format import load_kb
from bot.runtime import Runtime

Trainer = Callable[..., Any]  # bot.handoff.train_models.train, or a test's stand-in


@dataclass(frozen=True)
class Fold:
    """One dev dialogue file held out: the files the models learn from instead."""

    held_out: Path
    frustration: list[Path]  # dialogue files whose turns the frustration model learns from
    account: list[Path]  # ... whose long turns the account model learns from


@dataclass(frozen=True)
class HeldOutResult:
    """The held-out file's reach, and the dialogues it got wrong."""

    fold: Fold
    reach: Reach
    wrong: list[Outcome]


def folds(dialogues: Sequence[Path], account: Sequence[Path]) -> list[Fold]:
    """One fold per dialogue file; a test file is refused (it is never trained on). Paths are
    compared resolved: a relative path to the held-out file must not train its own fold.
    """
    require_dev([*dialogues, *account])
    return [
        Fold(
            path,
            [p for p in dialogues if p.resolve() != path.resolve()],
            [p for p in account if p.resolve() != path.resolve()],
        )
        for path in dialogues
    ]


def held_out(
    rt: Runtime,
    fold_list: Sequence[Fold],
    messages: Sequence[Path],
    folder: Path,
    trainer: Trainer = train,
    progress: Callable[[str], Any] | None = None,
) -> list[HeldOutResult]:
    """Train each fold's models into `folder/<file>`, then replay its file with them."""
    kb = [(text, e.lang) for e in load_kb(rt.settings.faq_dir).entries for text in e.texts]
    encoder = rt.index.searcher().encoder
    results = []
    for fold in fold_list:
        models = folder / fold.held_out.stem
        if progress:
            progress(f"training without {fold.held_out.name}")
        trainer(
            encoder, kb, messages, fold.frustration, folder=models, account_dialogues=fold.account
        )
        config = replace(rt.settings.handoff, models=models)
        with_models = replace(rt, settings=replace(rt.settings, handoff=config))
        if progress:
            progress(f"replaying {fold.held_out.name}")
        outcomes = evaluate(with_models, load_dialogues(fold.held_out))
        results.append(HeldOutResult(fold, reach(outcomes), [o for o in outcomes if wrong(o)]))
    return results


def held_out_report(results: Sequence[HeldOutResult]) -> str:
    """One row per held-out file, the total, and the dialogues each got wrong (Markdown)."""
    lines = [
        "| held-out file | should reach a person | by the expected turn | calm handed off |",
        "|---|---|---|---|",
    ]
    should = timely = calm = calm_handed = 0
    for r in results:
        lines.append(
            f"| {r.fold.held_out.name} | {r.reach.should} | {r.reach.in_time} "
            f"({r.reach.in_time_share:.0%}) | {r.reach.calm_handed} of {r.reach.calm} |"
        )
        should, timely = should + r.reach.should, timely + r.reach.in_time
        calm, calm_handed = calm + r.reach.calm, calm_handed + r.reach.calm_handed
    lines.append(
        f"| all | {should} | {timely} ({timely / max(should, 1):.1%}) | "
        f"{calm_handed} of {calm} ({calm_handed / max(calm, 1):.1%}) |"
    )
    for r in results:
        if r.wrong:
            lines += ["", f"{r.fold.held_out.name}, wrong:"]
            lines += [
                f"- {o.dialogue.id} ({o.dialogue.kind or o.dialogue.label}): expected "
                f"{o.dialogue.expect or 'none'} by turn {o.dialogue.expected_turn or '—'}, "
                f"got {o.reason or 'none'} at turn {o.turn or '—'}"
                for o in r.wrong
            ]
    return "\n".join(lines)
