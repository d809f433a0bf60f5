"""action_record_feedback: the customer's yes/no on the last answer."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import (
    channel_of,
    conversation_from,
    language_of,
    send_handoff,
    send_unavailable,
)
from bot import runtime
from bot.errors import BotError
from bot.turn import FeedbackRecord, take_feedback

HELPFUL_INTENTS = frozenset({"feedback_helpful", "affirm", "thanks"})


class ActionRecordFeedback(Action):
    """Records the customer's verdict on the last answer; a "not helpful" may hand off."""

    def name(self) -> str:
        """The name domain.yml and the rules call this action by."""
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Store the verdict on the answer in `last_faq_id` (none: nothing is stored) and stop
        waiting for feedback, or hand off; a BotError (the ticket of a "not helpful" could not
        be opened) gets the polite "unavailable" message instead of rasa-sdk's error.
        """
        rt = runtime.current()
        conv = conversation_from(tracker, language_of(tracker, rt.settings))
        helpful = tracker.get_intent_of_latest_message() in HELPFUL_INTENTS
        try:
            result = await asyncio.to_thread(
                take_feedback, rt, conv, helpful, _record(tracker, helpful, conv.lang)
            )
        except BotError:
            return send_unavailable(dispatcher, rt.settings, conv.lang)
        if result.handoff is not None:
            return send_handoff(dispatcher, tracker, result.handoff)
        dispatcher.utter_message(text=result.text)
        return [SlotSet("awaiting_feedback", False)]


def _record(tracker: Tracker, helpful: bool, lang: str) -> FeedbackRecord | None:
    """The verdict on the answer the slots remember, if there was one."""
    faq_id = tracker.get_slot("last_faq_id")
    if not faq_id:
        return None
    return FeedbackRecord(
        sender_id=tracker.sender_id,
        faq_id=faq_id,
        helpful=helpful,
        lang=lang,
        channel=channel_of(tracker),
        question=tracker.get_slot("last_question"),
        score=tracker.get_slot("last_score"),
    )
