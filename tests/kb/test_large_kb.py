"""The build benchmark's KB generator (bench/large_kb.py) writes a KB that loads."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.build import BENCH_DATA
from bench.large_kb import generate, write_kb
from bot.kb.format import load_kb

pytestmark = pytest.mark.skipif(
    not (BENCH_DATA / "clinc150").is_dir(), reason="shared/bench public data not present"
)


def test_generate_200_entries_loads_as_a_valid_kb(tmp_path: Path) -> None:
    entries = generate(BENCH_DATA, 200, seed=1)
    write_kb(entries, tmp_path)
    kb = load_kb(tmp_path)
    assert len(kb.entries) == 200
    assert all(1 <= len(e.texts) <= 3 and e.answer for e in kb.entries)
    langs = Counter(e.lang for e in kb.entries)
    assert len(langs) >= 3 and langs["en"] < 200
    # MASSIVE's entries come in Norwegian and English under one id: translations.
    assert any(kb.languages(faq_id) == ["en", "nb"] for faq_id in kb.ids())


def test_generate_is_deterministic_and_refuses_more_than_the_data_holds() -> None:
    assert generate(BENCH_DATA, 50, seed=3) == generate(BENCH_DATA, 50, seed=3)
    with pytest.raises(ValueError, match="fewer than"):
        generate(BENCH_DATA, 1_000_000)
