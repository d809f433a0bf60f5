"""action_handoff, and how a Rasa tracker becomes the conversation the handoff logic reads."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import JSON_CHANNELS, channel_of, language_hint, verified_customer
from bot import runtime
from bot.errors import BotError
from bot.handoff import triggers
from bot.handoff.conversation import Conversation, Turn
from bot.handoff.service import Handoff, notify
from bot.handoff.turn import hand_off_now
from bot.language import choose_language
from bot.messages import message
from bot.privacy.requests import open_request, privacy_request

# A new stretch of conversation starts at a new session or when an agent hands back.
_STARTS = frozenset({"session_started", "resume"})


class ActionHandoff(Action):
    """The customer asked for a person, or complained: open a ticket and pause the bot."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rt = runtime.current()
        conv = conversation_from(tracker, language_of(tracker))
        found = _trigger(conv, rt.settings.handoff, tracker.get_intent_of_latest_message())
        try:
            text = conv.latest.text if conv.latest else ""
            if asked := privacy_request(text):  # "talk to someone about deleting my data"
                handoff = await asyncio.to_thread(open_request, rt, conv, *asked)
            else:
                handoff = await asyncio.to_thread(hand_off_now, rt, conv, found, text)
        except BotError:
            settings = rt.settings
            dispatcher.utter_message(
                text=message(
                    "unavailable",
                    conv.lang,
                    phone=settings.support_phone,
                    email=settings.support_email,
                )
            )
            return []
        return send_handoff(dispatcher, tracker, handoff)


def _trigger(
    conv: Conversation, config: triggers.HandoffConfig, intent: str | None
) -> triggers.Trigger:
    """The customer's words first (they are the better evidence), then Rasa's intent.

    A swearing outburst that NLU files under `complaint` is frustration, not a
    formal complaint.
    """
    words_only = replace(conv, turns=tuple(_without_intent(t) for t in conv.turns))
    for found in (triggers.complaint(words_only), triggers.requested(words_only)):
        if found is not None:
            return found
    frustrated = triggers.frustrated(conv, config)
    if frustrated is not None and not frustrated.offer_only:
        return frustrated
    reason = "complaint" if intent == "complaint" else "requested"
    return triggers.Trigger(
        reason, (f"intent {intent}: {(conv.latest.text if conv.latest else '')[:80]!r}",)
    )


def _without_intent(turn: Turn) -> Turn:
    return replace(turn, intent=None) if turn.role == "customer" else turn


def send_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, handoff: Handoff
) -> list[EventType]:
    """Tell the customer, attach the contract, announce the ticket, pause the bot."""
    dispatcher.utter_message(text=handoff.text)
    if channel_of(tracker) in JSON_CHANNELS:
        dispatcher.utter_message(json_message=handoff.custom)
    notify(runtime.current(), handoff)
    return [
        SlotSet("language", handoff.lang),
        SlotSet("awaiting_feedback", False),
        ConversationPaused(),
    ]


def language_of(tracker: Tracker) -> str:
    settings = runtime.current().settings
    text = tracker.latest_message.get("text") or ""
    return choose_language(text, settings, tracker.get_slot("language"), language_hint(tracker))


def conversation_from(tracker: Tracker, lang: str) -> Conversation:
    """Customer and bot turns since the conversation (re)started, with the channel's facts."""
    events = list(tracker.events)
    start = max((i for i, e in enumerate(events) if e.get("event") in _STARTS), default=-1)
    turns: list[Turn] = []
    for event in events[start + 1 :]:
        at = _time(event.get("timestamp"))
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            contact = contact_of(event.get("metadata"))
            turns.append(Turn("customer", event.get("text") or "", at, intent, contact=contact))
        elif event.get("event") == "bot":
            _add_bot(turns, event, at)
    customer_id, tier = verified_customer(tracker)
    return Conversation(
        sender_id=tracker.sender_id,
        turns=tuple(turns),
        channel=channel_of(tracker),
        lang=lang,
        customer_id=customer_id,
        tier=tier,
        started_at=turns[0].at if turns else None,
    )


def contact_of(metadata: Any) -> tuple[tuple[str, str], ...]:
    """The phone/e-mail Rasa kept beside a masked message, for the callback field."""
    contact = metadata.get("contact") if isinstance(metadata, dict) else None
    if not isinstance(contact, dict):
        return ()
    return tuple((k, str(v)) for k, v in contact.items() if k in ("phone", "email") and v)


def _add_bot(turns: list[Turn], event: dict[str, Any], at: datetime | None) -> None:
    custom = (event.get("data") or {}).get("custom") or {}
    text = event.get("text")
    if text:
        turns.append(Turn("bot", text, at))
    kind = custom.get("kind") if isinstance(custom, dict) else None
    if kind and turns and turns[-1].role == "bot" and turns[-1].kind is None:
        last = turns.pop()
        turns.append(
            Turn(
                "bot",
                last.text,
                last.at,
                kind=kind,
                faq_id=custom.get("faq_id"),
                score=custom.get("score"),
            )
        )


def _time(timestamp: Any) -> datetime | None:
    return datetime.fromtimestamp(float(timestamp), UTC) if timestamp else None
