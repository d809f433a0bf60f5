"""`bot handoff held-out`: each dev dialogue file replayed by models trained without it.

The real turn, index and e5 encoder; the training is a stand-in that writes a model
reading every text as plainly frustrated (or as plainly calm), so that which folder each
file's replay read shows in the outcome without the minutes a real training takes.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.evaluation.held_out import folds, held_out, held_out_report
from bot.handoff.meaning import LinearModel, save
from bot.kb.encoders import create_encoder
from bot.kb.format import load_kb
from bot.kb.index import build_index
from bot.runtime import LiveIndex, Runtime
from bot.settings import Settings
from bot.storage import Database

CALM = (
    "version: 1\nsplit: {split}\ndialogues:\n"
    "  - {{id: {name}-calm, lang: en, label: calm, expect: none, turns: [\n"
    '      "how long does delivery take?"]}}\n'
)


def _file(folder: Path, name: str, split: str = "dev") -> Path:
    path = folder / f"{name}.yml"
    path.write_text(CALM.format(split=split, name=name), encoding="utf-8")
    return path


def test_each_file_is_held_out_once_and_a_test_file_is_refused(tmp_path: Path) -> None:
    a, b, c = (_file(tmp_path, n) for n in ("a", "b", "c"))
    made = folds([a, b, c], [a])
    assert [f.held_out for f in made] == [a, b, c]
    assert [f.frustration for f in made] == [[b, c], [a, c], [a, b]]
    assert [f.account for f in made] == [[], [a], [a]]
    # the same file named by a relative path still stays out of its own fold
    relative = Path(os.path.relpath(a))
    assert [f.account for f in folds([a, b], [relative])] == [[], [relative]]
    with pytest.raises(ValueError, match="not a dev file"):
        folds([a, _file(tmp_path, "t", split="test2")], [a])


def test_each_file_is_replayed_with_the_models_trained_without_it(
    tmp_path: Path, fixture_kb_dir: Path, embedding_cache: Path
) -> None:
    encoder = create_encoder("e5-onnx", threads=1)
    build_index(load_kb(fixture_kb_dir), encoder, tmp_path / "index", cache_dir=embedding_cache)
    settings = replace(Settings(), index_dir=tmp_path / "index", faq_dir=fixture_kb_dir)
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    db.migrate()
    rt = Runtime(settings, db, LiveIndex(settings, encoder))
    a, b = _file(tmp_path, "a"), _file(tmp_path, "b")
    calls: list[dict[str, Any]] = []

    def trainer(enc: Any, kb: Any, messages: Any, dialogues: list[Path], **kw: Any) -> None:
        calls.append({"dialogues": dialogues, **kw})
        # Trained without a: everything reads plainly frustrated; without b: plainly calm.
        bias = 20.0 if dialogues == [b] else -20.0
        model = LinearModel("frustration", np.zeros(384, np.float32), bias, 0.5, 0.8, alone=0.9)
        save(model, kw["folder"])

    results = held_out(rt, folds([a, b], [a]), [], tmp_path / "models", trainer=trainer)
    assert [c["folder"] for c in calls] == [tmp_path / "models" / "a", tmp_path / "models" / "b"]
    assert [c["account_dialogues"] for c in calls] == [[], [a]]
    assert [r.reach.calm_handed for r in results] == [1, 0]
    assert results[0].wrong[0].reason == "frustration"
    report = held_out_report(results)
    assert "| a.yml | 0 | 0 (100%) | 1 of 1 |" in report
    assert "| all | 0 | 0 (0.0%) | 1 of 2 (50.0%) |" in report
    assert "- a-calm (calm): expected none by turn —, got frustration at turn 1" in report
    db.dispose()
