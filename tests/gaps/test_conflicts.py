"""Duplicates and contradictions in the KB, through a real index (hashing encoder)."""

from __future__ import annotations

from pathlib import Path

from bot.gaps.conflicts import find_conflicts, numbers
from bot.kb.format import load_kb
from bot.kb.index import build_index, load_index
from bot.kb.search import Searcher
from tests.helpers import HashingEncoder

KB = """version: 1
entries:
  - id: delivery_time
    lang: en
    question: How long does delivery take?
    answer: Delivery takes 2-4 working days.
  - id: delivery_time
    lang: nb
    question: Hvor lang er leveringstiden?
    answer: Levering tar 5-7 virkedager.
  - id: delivery_time
    lang: sv
    question: Hur lang ar leveranstiden?
    answer: Leveransen tar 2-4 arbetsdagar, 49 kr.
  - id: shipping_days
    lang: en
    question: How long does delivery take?
    answer: Parcels arrive within 3 days.
  - id: opening_hours
    lang: en
    question: When are you open?
    answer: We are open 10-18 every day.
"""


def test_numbers_are_read_next_to_their_units() -> None:
    assert numbers("Takes 3-5 working days and costs 49 kr, 10 % off") == {
        "days": frozenset({"3-5"}),
        "money": frozenset({"49"}),
        "percent": frozenset({"10"}),
    }
    assert numbers("Open 10-18 every day") == {}  # "every" is no unit


def test_overlap_and_disagreeing_numbers_are_listed_per_language(tmp_path: Path) -> None:
    faq = tmp_path / "faq"
    faq.mkdir()
    (faq / "kb.yml").write_text(KB, encoding="utf-8")
    encoder = HashingEncoder()
    build_index(load_kb(faq), encoder, tmp_path / "index")
    searcher = Searcher(load_index(tmp_path / "index", encoder.name), encoder)
    found = {(c.kind, c.lang, c.faq_ids) for c in find_conflicts(searcher)}
    assert ("overlap", "en", ("delivery_time", "shipping_days")) in found
    assert ("numbers_differ", "en", ("delivery_time", "shipping_days")) in found  # 2-4 vs 3
    # nb says 5-7 days where en and sv say 2-4 (sv's price is not compared across markets)
    translations = {(lang, ids) for kind, lang, ids in found if ids == ("delivery_time",)}
    assert translations == {("nb", ("delivery_time",))}
    assert not any("opening_hours" in ids for _, _, ids in found)
