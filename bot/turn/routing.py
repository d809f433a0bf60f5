"""Handing a turn to a person: which team, what the bot already tried, the gap it leaves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.gaps.handoffs import record_handoff_gap
from bot.handoff.conversation import Conversation
from bot.handoff.service import Handoff, hand_off
from bot.handoff.triggers import Trigger
from bot.kb.decide import worth_offering
from bot.kb.search import Candidate
from bot.messages import message
from bot.turn.context import TurnContext
from bot.turn.reply import Button, Reply, question_text


def hand_off_now(ctx: TurnContext, conv: Conversation, trigger: Trigger, text: str) -> Handoff:
    """Hand off without answering: route by this message's topic, else the last one answered."""
    team, topic = topic_team(ctx, text, conv.lang)
    if topic is None and conv.answered_topics():
        topic = conv.answered_topics()[-1]
        entry = ctx.kb.translation(topic, conv.lang)
        team = entry.team if entry else None
    conv = replace(conv, topics=(*conv.topics, topic) if topic else conv.topics)
    answered = conv.answered_topics()
    if answered and trigger.reason != "complaint":  # a person after the bot's answers
        record_handoff_gap(
            ctx.db, ctx.embedder(), conv.sender_id, text, conv.lang, conv.channel, answered[-1]
        )
    return hand_off(ctx.db, ctx.settings, conv, trigger, team, answers(conv))


def hand_off_after_reply(
    ctx: TurnContext, conv: Conversation, trigger: Trigger, reply: Reply, text: str
) -> Handoff:
    """Hand off after the KB was tried; the turn's own search already ranked the entries."""
    topic = reply_topic(reply)
    team = reply.entry.team if reply.entry else team_of(ctx, reply.candidates, reply.lang)[0]
    conv = replace(conv, topics=(*conv.topics, topic) if topic else conv.topics)
    given = [*answers(conv), *answer_of(reply)]
    # The KB was tried and a person is still needed: the gap list should know.
    record_handoff_gap(
        ctx.db,
        ctx.embedder(),
        conv.sender_id,
        text,
        reply.lang,
        conv.channel,
        reply.entry.id if reply.entry else None,
    )
    return hand_off(ctx.db, ctx.settings, conv, trigger, team, given)


def reply_topic(reply: Reply) -> str | None:
    """The entry the reply answered, else the best candidate."""
    if reply.entry is not None:
        return reply.entry.id
    return reply.candidates[0].faq_id if reply.candidates else None


def topic_team(ctx: TurnContext, text: str, lang: str) -> tuple[str | None, str | None]:
    """The team of the entry the question is most likely about (routing without answering)."""
    return team_of(ctx, ctx.searcher.search(question_text(text), k=1, lang=lang), lang)


def team_of(
    ctx: TurnContext, ranked: Sequence[Candidate], lang: str
) -> tuple[str | None, str | None]:
    """The team and entry of the best candidate, if it is at least worth a clarify."""
    if not ranked or not worth_offering(ranked[0], ctx.thresholds):
        return None, None
    entry = ctx.kb.translation(ranked[0].faq_id, lang)
    return (entry.team if entry else None), ranked[0].faq_id


def with_offer(reply: Reply) -> Reply:
    """Keep the answer; the follow-up asks whether they would rather talk to a person."""
    return replace(
        reply,
        follow_up=message("handoff_offer", reply.lang),
        follow_up_buttons=(
            Button(message("talk_to_person", reply.lang), "/request_human"),
            *reply.follow_up_buttons,
        ),
    )


def answers(conv: Conversation) -> list[dict[str, Any]]:
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


def answer_of(reply: Reply) -> list[dict[str, Any]]:
    """This turn's answer, as the ticket lists it."""
    if reply.kind != "answer" or reply.entry is None:
        return []
    return [{"faq_id": reply.entry.id, "score": reply.score, "feedback": None}]
