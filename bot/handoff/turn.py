"""One customer turn with handoff: assess the conversation, search the KB, assess again.

Before the search: the customer asked for a person, complained, is very frustrated,
or asked something no FAQ resolves. After it: the entry demands a person, the bot
failed again, a VIP hit a gap, or a known customer is back about the same topic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.answering import Button, Question, Reply, answer_question, question_text
from bot.errors import StorageError
from bot.gaps.handoffs import record_handoff_gap
from bot.handoff import tickets, triggers
from bot.handoff.clock import now as clock_now
from bot.handoff.conversation import Conversation
from bot.handoff.meaning import Meaning, reader
from bot.handoff.service import Handoff, hand_off
from bot.kb.search import Candidate
from bot.messages import message
from bot.runtime import Runtime
from svar_privacy import log_id

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TurnResult:
    """Either the KB's reply (maybe with an offer of a person) or a handoff."""

    reply: Reply | None
    handoff: Handoff | None
    trigger: triggers.Trigger | None = None


def before_search(
    conv: Conversation,
    config: triggers.HandoffConfig,
    topic_of: Callable[[str], str | None] = lambda _: None,
    meaning: Meaning | None = None,
) -> triggers.Trigger | None:
    """The triggers that need no answer; `topic_of` places one question in the KB.

    `meaning` reads the turn's embedding (the one the KB search uses) for
    frustration and account problems; without it the word signals decide alone.
    """
    checks: list[Callable[[], triggers.Trigger | None]] = [
        lambda: triggers.requested(conv),
        lambda: triggers.complaint(conv),
        lambda: triggers.frustrated(conv, config, meaning),
        lambda: triggers.complex_now(conv, config, meaning),
        lambda: triggers.many_topics(conv, config, topic_of),
    ]
    for check in checks:
        found = check()
        if found is not None and not found.offer_only:
            return found
    return None


def after_search(
    rt: Runtime, conv: Conversation, reply: Reply, topic: str | None, meaning: Meaning | None = None
) -> triggers.Trigger | None:
    config = rt.settings.handoff
    entry = reply.entry
    earlier: list[Any] = []
    if conv.customer_id and topic:
        earlier = tickets.earlier_contacts(rt.db, conv.customer_id, topic)
    checks: list[Callable[[], triggers.Trigger | None]] = [
        lambda: triggers.sensitive(entry.handoff if entry else None, entry.id if entry else None),
        lambda: triggers.vip(conv, reply.kind, config),
        lambda: triggers.repeated_failure(conv, reply.kind, config),
        lambda: triggers.complex_unanswered(conv, reply.kind),
        lambda: triggers.repeat_contact(conv, topic, earlier, config),
        lambda: triggers.frustrated(conv, config, meaning),
    ]
    for check in checks:
        found = check()
        if found is not None:
            return found
    return None


def take_turn(rt: Runtime, conv: Conversation, question: Question) -> TurnResult:
    """The whole turn: a handoff when a trigger fires, else the KB reply."""
    config = rt.settings.handoff
    meaning = _meaning(rt, conv.lang)

    def topic_of(text: str) -> str | None:
        return _topic_team(rt, text, conv.lang)[1]

    early = before_search(conv, config, topic_of, meaning)
    if early is not None:
        return TurnResult(None, hand_off_now(rt, conv, early, question.text), early)
    reply = answer_question(rt, question)
    conv = replace(conv, lang=reply.lang)
    topic = _reply_topic(reply)
    later = after_search(rt, conv, reply, topic, meaning)
    _remember(rt, conv, topic)
    if later is None:
        return TurnResult(reply, None)
    if later.offer_only:
        return TurnResult(_with_offer(reply), None, later)
    # The turn's own search already ranked the entries: route by it, no second search.
    team = reply.entry.team if reply.entry else _team_of(rt, reply.candidates, reply.lang)[0]
    conv = replace(conv, topics=(*conv.topics, topic) if topic else conv.topics)
    answers = [*_answers(conv), *_answer_of(reply)]
    # The KB was tried and a person is still needed: the gap list should know.
    record_handoff_gap(
        rt,
        conv.sender_id,
        question.text,
        reply.lang,
        conv.channel,
        reply.entry.id if reply.entry else None,
    )
    return TurnResult(None, hand_off(rt, conv, later, team, answers), later)


def hand_off_now(rt: Runtime, conv: Conversation, trigger: triggers.Trigger, text: str) -> Handoff:
    """Hand off without answering: route by this message's topic, else the last one answered."""
    team, topic = _topic_team(rt, text, conv.lang)
    if topic is None and conv.answered_topics():
        topic = conv.answered_topics()[-1]
        entry = rt.index.searcher().index.kb.translation(topic, conv.lang)
        team = entry.team if entry else None
    conv = replace(conv, topics=(*conv.topics, topic) if topic else conv.topics)
    answered = conv.answered_topics()
    if answered and trigger.reason != "complaint":  # a person after the bot's answers
        record_handoff_gap(rt, conv.sender_id, text, conv.lang, conv.channel, answered[-1])
    return hand_off(rt, conv, trigger, team, _answers(conv))


def _meaning(rt: Runtime, lang: str) -> Meaning | None:
    """The meaning models through the search's own encoder (its memory: one embedding)."""
    return reader(rt.index.searcher().encoder, lang) if rt.settings.handoff.meaning else None


def _reply_topic(reply: Reply) -> str | None:
    if reply.entry is not None:
        return reply.entry.id
    return reply.candidates[0].faq_id if reply.candidates else None


def _topic_team(rt: Runtime, text: str, lang: str) -> tuple[str | None, str | None]:
    """The team of the entry the question is most likely about (routing without answering)."""
    return _team_of(rt, rt.index.searcher().search(question_text(text), k=1, lang=lang), lang)


def _team_of(rt: Runtime, ranked: Sequence[Candidate], lang: str) -> tuple[str | None, str | None]:
    """The team and entry of the best candidate, if it is at least worth a clarify."""
    searcher = rt.index.searcher()
    thresholds = rt.settings.thresholds or searcher.index.thresholds
    if not ranked or ranked[0].score < thresholds.clarify:
        return None, None
    entry = searcher.index.kb.translation(ranked[0].faq_id, lang)
    return (entry.team if entry else None), ranked[0].faq_id


def _remember(rt: Runtime, conv: Conversation, topic: str | None) -> None:
    if not conv.customer_id or not topic:
        return
    try:
        # The turn's own time, comparable with when later conversations start.
        at = (conv.latest.at if conv.latest else None) or clock_now(rt.settings)
        tickets.record_contact(rt.db, conv.customer_id, topic, conv.sender_id, at)
    except StorageError:
        logger.exception("could not record contact for sender %s", log_id(conv.sender_id))


def _with_offer(reply: Reply) -> Reply:
    """Keep the answer; the follow-up asks whether they would rather talk to a person."""
    return replace(
        reply,
        follow_up=message("handoff_offer", reply.lang),
        follow_up_buttons=(
            Button(message("talk_to_person", reply.lang), "/request_human"),
            *reply.follow_up_buttons,
        ),
    )


def _answers(conv: Conversation) -> list[dict[str, Any]]:
    """The KB answers the bot gave, with scores and the feedback that followed."""
    found: list[dict[str, Any]] = []
    for turn in conv.turns:
        if turn.role == "bot" and turn.kind == "answer":
            found.append({"faq_id": turn.faq_id, "score": turn.score, "feedback": None})
        elif (
            turn.role == "customer"
            and found
            and found[-1]["feedback"] is None
            and turn.intent in ("feedback_helpful", "feedback_not_helpful")
        ):
            found[-1]["feedback"] = turn.intent.removeprefix("feedback_")
    return found


def _answer_of(reply: Reply) -> list[dict[str, Any]]:
    if reply.kind != "answer" or reply.entry is None:
        return []
    return [{"faq_id": reply.entry.id, "score": reply.score, "feedback": None}]


def after_feedback(rt: Runtime, conv: Conversation) -> Handoff | None:
    """A 'not helpful' (or an outburst NLU took for one) may be the last straw.

    Hands off for high frustration, or when this makes failures in a row.
    """
    config = rt.settings.handoff
    found = triggers.frustrated(conv, config, _meaning(rt, conv.lang))
    if found is None or found.offer_only:
        streak = triggers.failure_streak(conv.turns)
        if streak < config.failures_in_a_row:
            return None
        found = triggers.Trigger(
            "repeated_failure", (f"{streak} unanswered or unhelpful turns in a row",)
        )
    latest = conv.latest.text if conv.latest else ""
    return hand_off_now(rt, conv, found, latest)
