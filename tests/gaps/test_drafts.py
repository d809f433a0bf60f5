"""Draft entries from agents' replies: made from resolved tickets, masked, approved or not."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.gaps import GapRecord, drafts, record_gap
from bot.gaps.drafts import Approval, DraftNotFound, approve_draft, drafts_for_gap, reject_draft
from bot.gaps.models import AnswerDraft
from bot.gaps.report import GapFilter, gap_rows
from bot.gaps.reusable import reusable_answer
from bot.kb.format import load_kb
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models import Ticket, TicketMessage, utcnow
from tests.conftest import FIXTURE_KB
from tests.gaps.conftest import topic_embed

LANGS = ("en", "nb", "sv")


def ticket(
    db: Database, sender: str, replies: list[tuple[str, str]], status: str = "resolved"
) -> str:
    ticket_id = f"T{sender.upper()}"
    with db.session() as session:
        row = Ticket(
            id=ticket_id,
            sender_id=sender,
            channel="socketio",
            lang="en",
            reason="repeated_failure",
            evidence=[],
            queue="stores",
            priority="normal",
            status=status,
            summary="",
            topics=[],
            answers=[],
            details={},
            created_at=utcnow() + timedelta(seconds=30),
        )
        session.add(row)
        session.add(TicketMessage(ticket=row, role="customer", text="is there parking?"))
        for author, text in replies:
            session.add(TicketMessage(ticket=row, role="agent", author=author, text=text))
    return ticket_id


def gap_with_tickets(db: Database) -> int:
    gap_id = record_gap(
        db, GapRecord("no_answer", "Is there parking at the store?", "s1", "en"), topic_embed
    )
    record_gap(db, GapRecord("no_answer", "parking near you?", "s2", "en"), topic_embed)
    record_gap(db, GapRecord("no_answer", "any parking?", "s3", "en"), topic_embed)
    assert gap_id is not None
    ticket(
        db,
        "s1",
        [
            (
                "kari.nordmann",
                "Hi Ola, yes: 40 free spaces behind the store, order 4471-2290 is ready."
                " Call 41234567. Best regards, Kari",
            )
        ],
    )
    ticket(db, "s2", [("per", "Hello! Parking costs 20 kr an hour in the garage. Mvh Per")])
    ticket(db, "s3", [("per", "Looking into it")], status="assigned")  # not resolved: no draft
    return gap_id


def test_reusable_answer_drops_greeting_names_numbers_and_sign_off() -> None:
    text = "Hi Ola, order #A12345 ships in 3 days; mail ola@example.com. Kind regards, Kari"
    assert reusable_answer(text, ["Kari"]) == "Order [order number] ships in 3 days; mail [email]."


def test_drafts_come_from_resolved_tickets_masked_side_by_side(db: Database) -> None:
    gap_id = gap_with_tickets(db)
    drafts = drafts_for_gap(db, gap_id, LANGS)
    assert {d["ticket_id"] for d in drafts} == {"TS1", "TS2"}
    by_ticket = {d["ticket_id"]: d for d in drafts}
    first = by_ticket["TS1"]
    assert first["question"] == "Is there parking at the store?"
    assert set(first["alternatives"]) == {"parking near you?", "any parking?"}
    assert first["answer"] == (
        "Yes: 40 free spaces behind the store, order [order number] is ready. Call [phone]."
    )
    assert "Ola" not in first["answer"] and "Kari" not in first["answer"]
    assert first["team"] == "stores" and first["lang"] == "en"
    assert first["missing_languages"] == ["nb", "sv"]
    assert by_ticket["TS2"]["answer"] == "Parking costs 20 kr an hour in the garage."
    assert len(drafts_for_gap(db, gap_id, LANGS)) == 2  # made once per ticket


def test_nothing_reaches_the_kb_until_approved(db: Database, tmp_path: Path) -> None:
    faq_dir = tmp_path / "faq"
    shutil.copytree(FIXTURE_KB, faq_dir)
    settings = replace(Settings(), faq_dir=faq_dir)
    gap_id = gap_with_tickets(db)
    drafts = drafts_for_gap(db, gap_id, LANGS)
    assert load_kb(faq_dir).get("store_parking", "en") is None
    chosen = next(d for d in drafts if d["ticket_id"] == "TS2")
    edited = chosen["answer"].replace("20 kr", "25 kr")
    approval = Approval(
        "store_parking", chosen["question"], edited, tuple(chosen["alternatives"]), "stores"
    )
    approve_draft(db, settings, gap_id, chosen["id"], approval, "edith")
    entry = load_kb(faq_dir).get("store_parking", "en")
    assert (
        entry is not None and entry.answer.strip() == "Parking costs 25 kr an hour in the garage."
    )
    # The question that customer asked is the phrasing; the gap's others are alternatives.
    assert entry.question == "parking near you?"
    assert set(entry.alternatives) == {"Is there parking at the store?", "any parking?"}
    [row] = gap_rows(db, GapFilter(status="answered"))
    assert row["resolution"] == f"draft {chosen['id']}: new entry store_parking"
    statuses = {d["ticket_id"]: d["status"] for d in drafts_for_gap(db, gap_id, LANGS)}
    assert statuses == {"TS1": "superseded", "TS2": "approved"}


def test_reject_and_unknown_draft(db: Database) -> None:
    gap_id = gap_with_tickets(db)
    first = drafts_for_gap(db, gap_id, LANGS)[0]
    reject_draft(db, gap_id, first["id"], "edith")
    assert drafts_for_gap(db, gap_id, LANGS)[0]["status"] == "rejected"
    with pytest.raises(DraftNotFound):
        reject_draft(db, gap_id, 999, "edith")


def test_two_looks_at_once_make_each_draft_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drafts are made on a read (GET .../drafts, the gap page): two editors or two
    replicas reading at the same moment both see them missing, and only one makes them."""
    db = Database(database_url)
    db.migrate()
    gap_id = gap_with_tickets(db)
    both_looked = threading.Barrier(2, timeout=20)
    looked = drafts._missing_drafts

    def look_together(database: Database, gap: int) -> bool:
        missing = looked(database, gap)
        both_looked.wait()
        return missing

    monkeypatch.setattr(drafts, "_missing_drafts", look_together)
    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda _: drafts_for_gap(db, gap_id, LANGS), range(2)))
    assert [sorted(d["ticket_id"] for d in f) for f in found] == [["TS1", "TS2"]] * 2
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AnswerDraft)) == 2
    db.dispose()
