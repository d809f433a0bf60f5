"""One customer turn, start to end: the path every message takes.

    1. the index is taken once (`TurnContext.of`): every step sees the same KB
    2. a clarify button answers its entry; a privacy request goes to a person
    3. the triggers that need no answer (`before_search`, in order)
    4. the KB: search, decide, notices, word the reply, log it (bot/turn/reply.py)
    5. the triggers that read the reply (`after_search`, in order)
    6. recording: the customer's contact, the handoff's gap (bot/turn/routing.py)
    7. the result: the KB's reply (maybe offering a person) or a handoff, whose
       webhook is queued here

The language was decided before the turn, from what the Rasa side read
(bot/language.py). A "not helpful" (`take_feedback`) and an explicit request for
a person (`take_request`) are turns too, and reach a person the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.errors import StorageError
from bot.feedback import FeedbackRecord, record_feedback
from bot.handoff import closing, tickets, triggers
from bot.handoff.clock import now as clock_now
from bot.handoff.conversation import Conversation, Turn
from bot.handoff.meaning import Meaning
from bot.handoff.service import Handoff, notify
from bot.handoff.triggers import Trigger
from bot.kb.question import is_greeting
from bot.messages import message
from bot.privacy.requests import open_request, privacy_request
from bot.runtime import Runtime
from bot.settings import HandoffConfig
from bot.turn.context import TurnContext
from bot.turn.reply import (
    Question,
    Reply,
    answer_choice,
    answer_question,
    closing_reply,
    greeting_reply,
)
from bot.turn.routing import hand_off_after_reply, hand_off_now, reply_topic, topic_team, with_offer
from svar_privacy import log_id

logger = logging.getLogger(__name__)
Check = Callable[[], Trigger | None]


@dataclass(frozen=True)
class TurnResult:
    """Either the KB's reply (maybe with an offer of a person) or a handoff."""

    reply: Reply | None
    handoff: Handoff | None
    trigger: Trigger | None = None


def take_turn(
    rt: Runtime, conv: Conversation, question: Question, chosen_faq_id: str | None = None
) -> TurnResult:
    """The whole turn: a handoff when a trigger fires, else the KB reply.

    `chosen_faq_id`: the entry of the clarify button the customer pressed.
    """
    ctx = TurnContext.of(rt)
    if chosen_faq_id:
        try:
            return TurnResult(answer_choice(ctx, question, chosen_faq_id), None)
        except KeyError:
            pass  # a stale button from an older index: treat the text as a question
    if asked := privacy_request(question.text):  # GDPR arts. 15, 17: a person confirms
        return TurnResult(None, _notified(ctx, open_request(ctx.db, ctx.settings, conv, *asked)))
    meaning = ctx.meaning(conv.lang)
    early = _strongest(before_search(ctx, conv, meaning), offers=False)
    if early is not None:
        handoff = hand_off_now(ctx, conv, early, question.text)
        return TurnResult(None, _notified(ctx, handoff), early)
    # a thank-you NLU did not place: no question, no gap
    if closing.is_closing(question.text, closing.replied_to(conv.turns[:-1])):
        return TurnResult(closing_reply(question.lang), None)
    if is_greeting(question.text):  # "hejsan" that NLU did not place: nothing to search yet
        return TurnResult(greeting_reply(question.lang), None)
    reply = answer_question(ctx, question)
    conv = replace(conv, lang=reply.lang)
    topic = reply_topic(reply)
    later = _strongest(after_search(ctx, conv, reply, topic, meaning))
    _remember(ctx, conv, topic)
    if later is None:
        return TurnResult(reply, None)
    if later.offer_only:
        return TurnResult(with_offer(reply), None, later)
    handoff = hand_off_after_reply(ctx, conv, later, reply, question.text)
    return TurnResult(None, _notified(ctx, handoff), later)


def before_search(ctx: TurnContext, conv: Conversation, meaning: Meaning | None) -> list[Check]:
    """The triggers that need no answer, in the order they are asked.

    The first that hands off wins; an offer alone waits for the search.
    `meaning` reads the turn's embedding (the one the KB search uses) for
    frustration and account problems; without it the word signals decide alone.
    """
    config = ctx.settings.handoff

    def topic_of(text: str) -> str | None:
        return topic_team(ctx, text, conv.lang)[1]

    return [
        lambda: triggers.requested(conv),
        lambda: triggers.complaint(conv),
        lambda: triggers.frustrated(conv, config, meaning),
        lambda: triggers.complex_now(conv, config, meaning),
        lambda: triggers.many_topics(conv, config, topic_of),
    ]


def after_search(
    ctx: TurnContext, conv: Conversation, reply: Reply, topic: str | None, meaning: Meaning | None
) -> list[Check]:
    """The triggers that read the KB's reply, in order: the first that hands off wins, else the
    first that offers a person (a frustrated customer on an `offer` entry is handed off)."""
    config = ctx.settings.handoff
    entry = reply.entry
    earlier = (
        tickets.earlier_contacts(ctx.db, conv.customer_id, topic)
        if conv.customer_id and topic
        else []
    )
    return [
        lambda: triggers.sensitive(entry.handoff if entry else None, entry.id if entry else None),
        lambda: triggers.vip(conv, reply.kind, config),
        lambda: triggers.repeated_failure(conv, reply.kind, config),
        lambda: triggers.complex_unanswered(conv, reply.kind),
        lambda: triggers.complex_reference(conv, reply.kind),
        lambda: triggers.complaint(conv),  # a question about complaining: offered
        lambda: triggers.repeat_contact(conv, topic, earlier, config),
        lambda: triggers.frustrated(conv, config, meaning),
    ]


def request_trigger(conv: Conversation, config: HandoffConfig, intent: str | None) -> Trigger:
    """Why a customer Rasa routed straight to a person is handed off, in order.

    The customer's words first (they are the better evidence), then Rasa's
    intent. A swearing outburst that NLU files under `complaint` is
    frustration, not a formal complaint.
    """
    words_only = replace(conv, turns=tuple(_without_intent(t) for t in conv.turns))
    for found in (triggers.complaint(words_only), triggers.requested(words_only)):
        if found is not None:
            return found
    frustrated = triggers.frustrated(conv, config)
    if frustrated is not None and not frustrated.offer_only:
        return frustrated
    reason = "complaint" if intent == "complaint" else "requested"
    said = conv.latest.text if conv.latest else ""
    return Trigger(reason, (f"intent {intent}: {said[:80]!r}",))


def take_request(rt: Runtime, conv: Conversation, intent: str | None) -> Handoff:
    """The customer asked for a person or complained (Rasa's rules): hand off now."""
    ctx = TurnContext.of(rt)
    text = conv.latest.text if conv.latest else ""
    if asked := privacy_request(text):  # "talk to someone about deleting my data"
        return _notified(ctx, open_request(ctx.db, ctx.settings, conv, *asked))
    found = request_trigger(conv, ctx.settings.handoff, intent)
    return _notified(ctx, hand_off_now(ctx, conv, found, text))


@dataclass(frozen=True)
class FeedbackResult:
    """What to say after a verdict on an answer: thanks or sorry, or a handoff."""

    text: str | None
    handoff: Handoff | None


def take_feedback(
    rt: Runtime, conv: Conversation, helpful: bool, record: FeedbackRecord | None
) -> FeedbackResult:
    """Store the verdict (`record`, when there was an answer to judge); a "not helpful"
    may be the last straw."""
    ctx = TurnContext.of(rt)
    if record is not None:
        try:
            record_feedback(ctx.db, record)
        except StorageError:
            logger.exception("could not record feedback for sender %s", log_id(conv.sender_id))
    if not helpful and (handoff := _after_not_helpful(ctx, conv)) is not None:
        return FeedbackResult(None, _notified(ctx, handoff))
    settings = ctx.settings
    key = "feedback_thanks" if helpful else "feedback_sorry"
    text = message(key, conv.lang, phone=settings.support_phone, email=settings.support_email)
    return FeedbackResult(text, None)


def after_feedback(rt: Runtime, conv: Conversation) -> Handoff | None:
    """The handoff a "not helpful" (or an outburst NLU took for one) leads to, if any."""
    return _after_not_helpful(TurnContext.of(rt), conv)


def _after_not_helpful(ctx: TurnContext, conv: Conversation) -> Handoff | None:
    """Hands off for high frustration, or when this makes failures in a row."""
    config = ctx.settings.handoff
    found = triggers.frustrated(conv, config, ctx.meaning(conv.lang))
    if found is None or found.offer_only:
        streak = triggers.failure_streak(conv.turns)
        if streak < config.failures_in_a_row:
            return None
        found = Trigger("repeated_failure", (f"{streak} unanswered or unhelpful turns in a row",))
    latest = conv.latest.text if conv.latest else ""
    return hand_off_now(ctx, conv, found, latest)


def _strongest(checks: list[Check], offers: bool = True) -> Trigger | None:
    """The first trigger that hands off; else, with `offers`, the first that offers a person."""
    offer: Trigger | None = None
    for check in checks:
        found = check()
        if found is not None and not found.offer_only:
            return found
        offer = offer or found
    return offer if offers else None


def _remember(ctx: TurnContext, conv: Conversation, topic: str | None) -> None:
    """This customer asked about `topic` now (for the repeat-contact trigger)."""
    if not conv.customer_id or not topic:
        return
    try:
        # The turn's own time, comparable with when later conversations start.
        at = (conv.latest.at if conv.latest else None) or clock_now(ctx.settings)
        tickets.record_contact(ctx.db, conv.customer_id, topic, conv.sender_id, at)
    except StorageError:
        logger.exception("could not record contact for sender %s", log_id(conv.sender_id))


def _notified(ctx: TurnContext, handoff: Handoff) -> Handoff:
    """Queue the new ticket for the configured webhook (the outbox delivers it)."""
    notify(ctx.db, ctx.settings, handoff)
    return handoff


def _without_intent(turn: Turn) -> Turn:
    return replace(turn, intent=None) if turn.role == "customer" else turn
