"""The knowledge base's part of a turn: search, decide, and word the reply.

Returns a channel-neutral `Reply`; the action turns it into Rasa messages and
events. Kept free of rasa-sdk so that `bot eval` runs the very same code.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from bot.errors import StorageError
from bot.gaps import GapRecord, record_gap
from bot.gaps.turns import Turn, log_turn_safely
from bot.kb.decide import Decision, decide
from bot.kb.format import FaqEntry
from bot.kb.search import Candidate
from bot.language import Detected, choose_language, detect_language, settle_with_kb
from bot.messages import message
from bot.notices.serve import notice_for
from bot.notices.store import ActiveNotice
from bot.settings import Settings
from bot.turn.context import TurnContext
from svar_privacy import log_id

logger = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Question:
    """One customer message, in the language chosen for it before the turn began."""

    text: str
    sender_id: str
    lang: str
    channel: str | None = None
    conversation_lang: str | None = None
    detected: Detected = field(default_factory=Detected)  # the one reading of its language


def read_here(
    text: str,
    sender_id: str,
    settings: Settings,
    channel: str | None = None,
    conversation_lang: str | None = None,
) -> Question:
    """A question for the paths with no Rasa in front (`bot eval`, `bot ask`, the
    benchmarks): its language is read here, as the Rasa side would have read it."""
    detected = detect_language(text, settings)
    lang = choose_language(detected, settings, conversation_lang)
    return Question(text, sender_id, lang, channel, conversation_lang, detected)


@dataclass(frozen=True)
class Button:
    """A quick-reply button; `payload` is the intent (with entities) Rasa receives when it is
    pressed, e.g. `/choose_faq{"faq_id": ...}`.
    """

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """What to say; `custom` is the response contract for clients that take JSON."""

    kind: str  # answer | clarify | no_answer | unreadable | closing | greeting
    lang: str
    text: str
    custom: dict[str, Any]
    buttons: tuple[Button, ...] = ()
    follow_up: str | None = None
    follow_up_buttons: tuple[Button, ...] = ()
    entry: FaqEntry | None = None
    score: float | None = None
    candidates: tuple[Candidate, ...] = field(default=())


def question_text(raw: str) -> str:
    """The part of a message that is searched."""
    return raw.strip()[:MAX_QUESTION_CHARS]


def is_readable(text: str) -> bool:
    """False for empty, control-character or binary noise."""
    stripped = text.strip()
    if not stripped:
        return False
    printable = sum(1 for ch in stripped if unicodedata.category(ch)[0] in "LNPSZ")
    return printable / len(stripped) > 0.9 and any(ch.isalnum() for ch in stripped)


def answer_question(ctx: TurnContext, question: Question) -> Reply:
    """Answer, clarify or decline `question` (and log a gap when declining)."""
    lang = question.lang
    if not is_readable(question.text):
        return Reply("unreadable", lang, message("unreadable", lang), {"kind": "unreadable"})
    text = question_text(question.text)
    ranked = ctx.searcher.search(text, k=5, lang=lang)
    if ranked:
        lang = settle_with_kb(
            question.detected, lang, question.conversation_lang, ranked[0].lexical_lang
        )
    decision = decide(ranked, ctx.thresholds)
    linked = [c.faq_id for c in decision.candidates[:1]] if decision.outcome != "no_answer" else []
    notice = notice_for(ctx.db, text, linked, lang)
    if decision.outcome == "answer":
        reply = answer_entry(ctx, decision.candidates[0].faq_id, lang, decision.candidates[0])
    elif decision.outcome == "clarify":
        reply = _clarify(ctx, decision, lang)
    else:  # while a notice covers it, the question is known, not a gap
        record = notice is None and not decision.small_talk
        reply = _no_answer(ctx, question, text, decision, lang, record=record)
    reply = _with_notice(reply, notice) if notice else reply
    log_reply(ctx, question, reply, text)
    return replace(reply, candidates=tuple(ranked))


def closing_reply(lang: str) -> Reply:
    """The "you're welcome" to a customer who thanked or acknowledged and asked nothing
    (`closing`): there is nothing to search and no gap to log."""
    return Reply("closing", lang, message("closing", lang), {"kind": "closing", "lang": lang})


def greeting_reply(lang: str) -> Reply:
    """The welcome to a customer who only greeted (`greeting`): Rasa's greet intent answers most
    greetings; one its NLU missed is no question the KB failed, so no gap and no failure."""
    return Reply("greeting", lang, message("greeting", lang), {"kind": "greeting", "lang": lang})


def answer_choice(ctx: TurnContext, question: Question, faq_id: str) -> Reply:
    """The entry the customer picked from a clarify (logged, so the clarify is not a gap)."""
    reply = answer_entry(ctx, faq_id, question.lang)
    log_reply(ctx, question, reply, None, chose_option=True)
    return reply


def _with_notice(reply: Reply, notice: ActiveNotice) -> Reply:
    """The notice first, then what the KB says."""
    custom = {**reply.custom, "notice": {"id": notice.id, "text": notice.text}}
    return replace(reply, text=f"{notice.text}\n\n{reply.text}", custom=custom)


def log_reply(
    ctx: TurnContext,
    question: Question,
    reply: Reply,
    text: str | None,
    chose_option: bool = False,
) -> None:
    """The turn log (outcome, entry, score); a clarify keeps its question for the gap list."""
    outcome = "notice" if "notice" in reply.custom else reply.kind
    turn = Turn(
        sender_id=question.sender_id,
        outcome=outcome,
        channel=question.channel,
        lang=reply.lang,
        faq_id=reply.entry.id if reply.entry else None,
        score=reply.score,
        question=text if reply.kind == "clarify" else None,
        chose_option=chose_option,
    )
    log_turn_safely(ctx.db, turn, ctx.embedder())


def answer_entry(
    ctx: TurnContext, faq_id: str, lang: str, candidate: Candidate | None = None
) -> Reply:
    """The entry's answer in `lang` where the KB has it (else English), with its source."""
    entry = ctx.kb.translation(faq_id, lang)
    if entry is None:
        raise KeyError(faq_id)
    text = entry.answer
    if entry.url:
        text += "\n\n" + message("source", entry.lang, url=entry.url)
    score = round(candidate.score, 4) if candidate else None
    custom: dict[str, Any] = {
        "kind": "answer",
        "faq_id": entry.id,
        "lang": entry.lang,
        "score": score,
        "url": entry.url,
    }
    return Reply(
        "answer",
        lang,
        text,
        custom,
        follow_up=message("feedback_prompt", lang),
        follow_up_buttons=(
            Button("👍 " + message("yes", lang), "/feedback_helpful"),
            Button("👎 " + message("no", lang), "/feedback_not_helpful"),
        ),
        entry=entry,
        score=score,
    )


def _clarify(ctx: TurnContext, decision: Decision, lang: str) -> Reply:
    offered = []
    buttons = []
    for candidate in decision.candidates:
        entry = ctx.kb.translation(candidate.faq_id, lang)
        assert entry is not None  # the decision was made on this very index
        offered.append(
            {"faq_id": entry.id, "question": entry.question, "score": round(candidate.score, 4)}
        )
        buttons.append(Button(entry.question, f'/choose_faq{{"faq_id":"{entry.id}"}}'))
    return Reply(
        "clarify",
        lang,
        message("clarify", lang),
        {"kind": "clarify", "lang": lang, "candidates": offered},
        buttons=tuple(buttons),
    )


def _no_answer(
    ctx: TurnContext,
    question: Question,
    text: str,
    decision: Decision,
    lang: str,
    record: bool = True,
) -> Reply:
    nearest = decision.candidates[0] if decision.candidates else None
    entry = ctx.kb.translation(nearest.faq_id, lang) if nearest else None
    gap_id: int | None = None
    if record:
        gap = GapRecord(
            kind="no_answer",
            question=text,
            sender_id=question.sender_id,
            lang=lang,
            channel=question.channel,
            candidates=[
                {"faq_id": c.faq_id, "score": round(c.score, 4)} for c in decision.candidates
            ],
            team=entry.team if entry else None,
        )
        try:
            gap_id = record_gap(ctx.db, gap, ctx.embedder())
        except StorageError:
            logger.exception("could not record gap for sender %s", log_id(question.sender_id))
    settings = ctx.settings
    key = "small_talk" if decision.small_talk else "no_answer"
    custom: dict[str, Any] = {"kind": "no_answer", "lang": lang, "gap_id": gap_id}
    if decision.small_talk:
        custom["reason"] = "small_talk"
    return Reply(
        "no_answer",
        lang,
        message(key, lang, phone=settings.support_phone, email=settings.support_email),
        custom,
    )
