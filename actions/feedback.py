"""action_record_feedback: the customer's yes/no on the last answer."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of
from actions.handoff import conversation_from, language_of, send_handoff
from bot import runtime
from bot.errors import StorageError
from bot.feedback import FeedbackRecord, record_feedback
from bot.handoff.turn import after_feedback
from bot.messages import message
from svar_privacy import log_id

logger = logging.getLogger(__name__)
HELPFUL_INTENTS = frozenset({"feedback_helpful", "affirm", "thanks"})


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rt = runtime.current()
        lang = tracker.get_slot("language") or rt.settings.default_language
        helpful = tracker.get_intent_of_latest_message() in HELPFUL_INTENTS
        faq_id = tracker.get_slot("last_faq_id")
        if faq_id:
            record = FeedbackRecord(
                sender_id=tracker.sender_id,
                faq_id=faq_id,
                helpful=helpful,
                lang=lang,
                channel=channel_of(tracker),
                question=tracker.get_slot("last_question"),
                score=tracker.get_slot("last_score"),
            )
            try:
                await asyncio.to_thread(record_feedback, rt.db, record)
            except StorageError:
                logger.exception(
                    "could not record feedback for sender %s", log_id(tracker.sender_id)
                )
        if not helpful:
            conv = conversation_from(tracker, language_of(tracker))
            handoff = await asyncio.to_thread(after_feedback, rt, conv)
            if handoff is not None:
                return send_handoff(dispatcher, tracker, handoff)
        settings = rt.settings
        key = "feedback_thanks" if helpful else "feedback_sorry"
        dispatcher.utter_message(
            text=message(key, lang, phone=settings.support_phone, email=settings.support_email)
        )
        return [SlotSet("awaiting_feedback", False)]
