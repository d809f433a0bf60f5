"""Draft KB entries from agents' replies: the answer usually exists already.

When a conversation that hit a gap (no answer, an unhelpful answer, an abandoned
clarify) was handed off and the agent resolved the ticket, the customer's
question and the agent's reply make a draft entry for that gap: the question as
the phrasing, the gap's other phrasings as alternatives, the reply made reusable
(bot/gaps/reusable.py), the ticket's queue as the team, the customer's language.
Drafts are made when an editor looks at the gap (no hook in the handoff path, so
replicas and older tickets are covered alike), one per gap and ticket. Nothing
reaches the KB until an editor approves a draft through `approve_draft`, which
takes the edited text and goes through the same KB edit as a hand-written entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.gaps.models import AnswerDraft
from bot.gaps.resolve import GapNotFound, answer_with_entry, set_status
from bot.gaps.reusable import reusable_answer
from bot.gaps.rollup import aware
from bot.kb.editing import NewEntry, Translation
from bot.settings import Settings
from bot.storage import Database
from bot.storage.locks import named_lock
from bot.storage.models import Gap, GapOccurrence, Ticket, TicketMessage, utcnow
from svar_privacy import mask_text

logger = logging.getLogger(__name__)
# A gap occurrence belongs to a ticket of the same sender opened this soon after it
# (the handoff-after-answer occurrence is written as the ticket opens).
BEFORE_TICKET = timedelta(minutes=30)
AFTER_TICKET = timedelta(minutes=2)
MAX_ALTERNATIVES = 10


class DraftNotFound(GapNotFound):
    """A draft id that does not exist or belongs to another gap; a 404 like `GapNotFound`."""

    def __init__(self, gap_id: int, draft_id: int) -> None:
        super().__init__(gap_id)
        self.draft_id = draft_id
        self.args = (f"draft {draft_id} of gap {gap_id} does not exist",)


@dataclass(frozen=True)
class Approval:
    """What the editor approved: the draft as they edited it."""

    faq_id: str
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    team: str | None = None
    url: str | None = None


def drafts_for_gap(db: Database, gap_id: int, languages: tuple[str, ...]) -> list[dict[str, Any]]:
    """The gap's drafts (making any missing ones from resolved tickets), newest first.

    A read that may write: the drafts are derived from the resolved tickets, so making
    them on the first look is idempotent. Two looks at once (two editors, two replicas)
    must not both make them: the writer takes the gap's lock and checks again.
    """
    if _missing_drafts(db, gap_id):
        with db.session() as session:
            named_lock(session, f"drafts:{gap_id}")
            _make_drafts(session, gap_id)
    with db.session() as session:
        drafts = session.scalars(
            select(AnswerDraft)
            .where(AnswerDraft.gap_id == gap_id)
            .order_by(AnswerDraft.created_at.desc(), AnswerDraft.id.desc())
        ).all()
        return [draft_json(d, languages) for d in drafts]


def _missing_drafts(db: Database, gap_id: int) -> bool:
    """Whether a resolved ticket of the gap has no draft yet (GapNotFound for no gap)."""
    with db.session() as session:
        gap = session.get(Gap, gap_id)
        if gap is None:
            raise GapNotFound(gap_id)
        made = _made(session, gap_id)
        return any(t.id not in made for t in _resolved_tickets(session, list(gap.occurrences)))


def _make_drafts(session: Any, gap_id: int) -> None:
    gap = session.get(Gap, gap_id)
    if gap is None:  # deleted meanwhile (the privacy purge)
        raise GapNotFound(gap_id)
    occurrences, made = list(gap.occurrences), _made(session, gap_id)
    for ticket in _resolved_tickets(session, occurrences):
        if ticket.id not in made:
            draft = _draft(session, gap, ticket, occurrences)
            if draft is not None:
                session.add(draft)


def _made(session: Any, gap_id: int) -> set[str]:
    """The tickets the gap has a draft from."""
    query = select(AnswerDraft.ticket_id).where(AnswerDraft.gap_id == gap_id)
    return set(session.scalars(query))


def _resolved_tickets(session: Any, occurrences: list[GapOccurrence]) -> list[Ticket]:
    senders = sorted({o.sender_id for o in occurrences})
    tickets = [
        ticket
        for i in range(0, len(senders), 500)  # bounded IN lists on any database
        for ticket in session.scalars(
            select(Ticket).where(
                Ticket.sender_id.in_(senders[i : i + 500]), Ticket.status == "resolved"
            )
        )
    ]
    by_sender: dict[str, list[GapOccurrence]] = {}
    for o in occurrences:
        by_sender.setdefault(o.sender_id, []).append(o)
    return [t for t in tickets if _own(t, by_sender.get(t.sender_id, []))]


def _own(ticket: Ticket, occurrences: list[GapOccurrence]) -> list[GapOccurrence]:
    """The gap's occurrences that led to this ticket."""
    opened = aware(ticket.created_at)
    return [
        o
        for o in occurrences
        if o.sender_id == ticket.sender_id
        and opened - BEFORE_TICKET <= aware(o.created_at) <= opened + AFTER_TICKET
    ]


def _draft(
    session: Any, gap: Gap, ticket: Ticket, occurrences: list[GapOccurrence]
) -> AnswerDraft | None:
    messages = session.scalars(
        select(TicketMessage).where(TicketMessage.ticket_id == ticket.id).order_by(TicketMessage.id)
    ).all()
    replies = [m for m in messages if m.role == "agent" and m.text.strip()]
    if not replies:
        return None
    asked = [o.question.strip() for o in _own(ticket, occurrences) if o.question.strip()]
    others = [o.question.strip() for o in occurrences if o.lang == ticket.lang]
    questions = list(dict.fromkeys([mask_text(q) for q in [*asked, *others] if q]))
    agents = {m.author for m in replies if m.author}
    answer = "\n\n".join(
        text for m in replies if (text := reusable_answer(m.text, _name_parts(agents)))
    )
    if not answer or not questions:
        return None
    return AnswerDraft(
        gap_id=gap.id,
        ticket_id=ticket.id,
        lang=ticket.lang,
        team=ticket.queue,
        questions=questions[: MAX_ALTERNATIVES + 1],
        answer=answer,
        agent=next(iter(sorted(agents)), None),
        status="proposed",
        created_at=utcnow(),
    )


def _name_parts(agents: set[str]) -> list[str]:
    """Agents sign with their first name; account names are often "kari.nordmann"."""
    parts = set()
    for agent in agents:
        for part in agent.replace(".", " ").replace("_", " ").split():
            parts.add(part.capitalize())
    return sorted(parts)


def draft_json(draft: AnswerDraft, languages: tuple[str, ...]) -> dict[str, Any]:
    """The editor API's view of a draft; `languages` are the
    KB's, to list the translations missing.
    """
    questions = list(draft.questions or [])
    return {
        "id": draft.id,
        "gap_id": draft.gap_id,
        "ticket_id": draft.ticket_id,
        "lang": draft.lang,
        "team": draft.team,
        "question": questions[0] if questions else "",
        "alternatives": questions[1:],
        "answer": draft.answer,
        "agent": draft.agent,
        "status": draft.status,
        "faq_id": draft.faq_id,
        "missing_languages": [lang for lang in languages if lang != draft.lang],
        "created_at": aware(draft.created_at).isoformat(),
    }


def approve_draft(
    db: Database, settings: Settings, gap_id: int, draft_id: int, approval: Approval, editor: str
) -> None:
    """Write the edited draft as a new KB entry and close the gap (the caller republishes)."""
    with db.session() as session:
        draft = session.get(AnswerDraft, draft_id)
        if draft is None or draft.gap_id != gap_id:
            raise DraftNotFound(gap_id, draft_id)
        lang = draft.lang or settings.default_language
    translation = Translation(
        lang=lang,
        question=approval.question.strip(),
        answer=approval.answer.strip(),
        alternatives=tuple(a.strip() for a in approval.alternatives if a.strip()),
    )
    entry = NewEntry(
        id=approval.faq_id, translations=(translation,), team=approval.team, url=approval.url
    )
    answer_with_entry(db, settings, gap_id, entry)  # validates and writes, or raises
    set_status(db, gap_id, "answered", f"draft {draft_id}: new entry {approval.faq_id}")
    with db.session() as session:
        for other in session.scalars(select(AnswerDraft).where(AnswerDraft.gap_id == gap_id)):
            other.status = "approved" if other.id == draft_id else "superseded"
            other.decided_at, other.decided_by = utcnow(), editor
            if other.id == draft_id:
                other.faq_id = approval.faq_id
    logger.info("gap %s answered by draft %s as entry %s", gap_id, draft_id, approval.faq_id)


def reject_draft(db: Database, gap_id: int, draft_id: int, editor: str) -> None:
    """Mark the draft rejected by `editor`; the KB is not touched and the gap stays as it was."""
    with db.session() as session:
        draft = session.get(AnswerDraft, draft_id)
        if draft is None or draft.gap_id != gap_id:
            raise DraftNotFound(gap_id, draft_id)
        draft.status, draft.decided_at, draft.decided_by = "rejected", utcnow(), editor
