from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.gaps import GapRecord, record_gap
from bot.gaps.report import GapFilter, gap_rows
from bot.gaps.resolve import GapNotFound, answer_with_alternatives, set_status
from bot.kb.format import load_kb
from bot.settings import Settings
from bot.storage import Database
from tests.conftest import FIXTURE_KB
from tests.gaps.conftest import topic_embed


def test_answer_with_alternatives_writes_each_language_to_its_entry(
    db: Database, tmp_path: Path
) -> None:
    faq_dir = tmp_path / "faq"
    shutil.copytree(FIXTURE_KB, faq_dir)
    settings = replace(Settings(), faq_dir=faq_dir)
    gap_id = record_gap(db, GapRecord("no_answer", "Is there parking?", "s1", "en"), topic_embed)
    record_gap(db, GapRecord("no_answer", "Finns det parking?", "s2", "sv"), topic_embed)
    assert gap_id is not None
    answer_with_alternatives(db, settings, gap_id, "shipping_time")
    kb = load_kb(faq_dir)
    assert "Is there parking?" in kb.get("shipping_time", "en").alternatives  # type: ignore[union-attr]
    assert "Finns det parking?" in kb.get("shipping_time", "sv").alternatives  # type: ignore[union-attr]
    [row] = gap_rows(db, GapFilter(status="answered"))
    assert row["resolution"] == "alternatives of shipping_time"


def test_dismiss_and_unknown_gap(db: Database) -> None:
    gap_id = record_gap(db, GapRecord("no_answer", "dogs allowed inside?", "s1", "en"))
    assert gap_id is not None
    set_status(db, gap_id, "dismissed", "dismissed by edith")
    assert gap_rows(db) == []
    assert len(gap_rows(db, GapFilter(status="dismissed"))) == 1
    with pytest.raises(GapNotFound):
        set_status(db, 999, "dismissed")
