"""Until handoff exists: an honest reply with the configured contact details."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import runtime
from bot.messages import message


class ActionContactHuman(Action):
    """Answers request_human and complaint with where a person can be reached."""

    def name(self) -> str:
        return "action_contact_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = runtime.current().settings
        lang = tracker.get_slot("language") or settings.default_language
        key = (
            "complaint"
            if tracker.get_intent_of_latest_message() == "complaint"
            else "contact_human"
        )
        dispatcher.utter_message(
            text=message(key, lang, phone=settings.support_phone, email=settings.support_email)
        )
        return []
