"""Guards answer quality on the demo KB's held-out questions against regressions.

The floors sit a few points below what `bot eval` measures today (see README,
"Answer quality"); raise them when the numbers improve.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.evaluation.dataset import load_questions
from bot.evaluation.metrics import rates_by_language
from bot.evaluation.run import evaluate
from bot.kb.encoders import create_encoder
from bot.kb.format import load_kb
from bot.kb.index import build_index
from bot.runtime import Runtime
from bot.settings import ROOT, Settings

pytestmark = pytest.mark.slow

FLOOR_ANSWERED_OK = 0.80  # answered correctly, or the right entry among clarify buttons
FLOOR_ANSWERED_OK_PER_LANGUAGE = 0.66
CEILING_WRONG = 0.03
FLOOR_OOS_DECLINED = 0.86


def test_demo_kb_held_out_questions_meet_quality_floors(
    tmp_path: Path, embedding_cache: Path
) -> None:
    settings = replace(
        Settings(),
        index_dir=tmp_path / "index",
        database_url="sqlite://",
        cache_dir=embedding_cache,
    )
    encoder = create_encoder(settings.embedding_model)
    build_index(
        load_kb(ROOT / "data" / "faq"), encoder, settings.index_dir, cache_dir=embedding_cache
    )
    results = evaluate(
        Runtime.start(settings), load_questions(ROOT / "data" / "eval" / "questions.yml")
    )
    rates = {row.lang: row for row in rates_by_language(results)}
    overall = rates.pop("all")
    assert overall.answered_ok >= FLOOR_ANSWERED_OK, overall
    assert overall.rates["wrong"] <= CEILING_WRONG, overall
    assert overall.rates["oos_declined"] >= FLOOR_OOS_DECLINED, overall
    for lang, row in rates.items():
        assert row.answered_ok >= FLOOR_ANSWERED_OK_PER_LANGUAGE, (lang, row)
        assert row.rates["wrong"] <= CEILING_WRONG, (lang, row)
