from __future__ import annotations

from sqlalchemy import select

from bot.gaps import GapRecord, record_gap
from bot.gaps.cluster import recluster
from bot.gaps.noise import is_gap_worthy
from bot.gaps.report import GapFilter, gap_rows, rows_to_csv, rows_to_table
from bot.storage import Database
from bot.storage.models import Gap
from tests.gaps.conftest import topic_embed


def _no_answer(db: Database, text: str, lang: str = "en", sender: str = "s") -> int | None:
    return record_gap(db, GapRecord("no_answer", text, sender, lang, "rest"), topic_embed)


def test_record_gap_similar_questions_in_other_languages_join_one_gap(db: Database) -> None:
    first = _no_answer(db, "Is there parking at the store?")
    second = _no_answer(db, "Finnes det parking ved butikken?", "nb")
    other = _no_answer(db, "Are you hiring, any jobs?")
    assert first == second != other
    rows = gap_rows(db)
    assert [r["occurrences"] for r in rows] == [2, 1]
    assert rows[0]["languages"] == {"en": 1, "nb": 1}
    assert len(rows[0]["phrasings"]) == 2


def test_record_gap_greetings_noise_and_abuse_are_not_gaps(db: Database) -> None:
    noise = ("hei", "Hello!", "asdfghjkl", "?!", "fuck you idiot", "tusen takk", "kiitos paljon")
    for text in (*noise, "perkele saatana"):
        assert _no_answer(db, text) is None, text
        assert not is_gap_worthy(text)
    assert is_gap_worthy("Kan jeg ta med hunden inn i butikken?")
    assert is_gap_worthy("Saako koiran tuoda myymälään?")
    with db.session() as session:
        assert session.scalars(select(Gap)).all() == []


def test_record_gap_not_helpful_and_handoff_after_answer_flag_the_entry(db: Database) -> None:
    rejected = record_gap(db, GapRecord("not_helpful", "How long?", "s1", "en", faq_id="ship"))
    handoff = record_gap(
        db, GapRecord("handoff_after_answer", "Still late", "s2", "en", faq_id="ship")
    )
    unanswered = record_gap(db, GapRecord("handoff_after_answer", "Any dogs allowed?", "s3"))
    assert rejected == handoff != unanswered
    rows = {r["id"]: r for r in gap_rows(db)}
    assert rows[rejected]["kind_label"] == "answer not helping"
    assert rows[rejected]["handoffs"] == 1
    assert rows[unanswered]["kind_label"] == "no answer"
    assert rows[rejected]["impact"] > rows[unanswered]["impact"]  # handoffs weigh


def test_report_filters_and_exports(db: Database) -> None:
    _no_answer(db, "parking?", "en")
    _no_answer(db, "wifi password please", "sv")
    assert [r["question"] for r in gap_rows(db, GapFilter(lang="sv"))] == ["wifi password please"]
    rows = gap_rows(db)
    csv_text = rows_to_csv(rows)
    assert csv_text.splitlines()[0].startswith("id,kind,status,impact")
    assert "wifi password please" in rows_to_table(rows)


def test_recluster_merges_what_arrived_apart(db: Database) -> None:
    a = record_gap(db, GapRecord("no_answer", "parking near you?", "s1", "en"))  # no embedder
    b = record_gap(db, GapRecord("no_answer", "where is parking", "s2", "en"))
    c = record_gap(db, GapRecord("no_answer", "dogs in the shop?", "s3", "en"))
    assert len({a, b, c}) == 3
    assert recluster(db, topic_embed) == 2
    rows = gap_rows(db)
    assert sorted(r["occurrences"] for r in rows) == [1, 2]
