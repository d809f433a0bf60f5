"""action_handoff: the customer asked for a person, or complained: open a ticket, pause."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import conversation_from, language_of, send_handoff, send_unavailable
from bot import runtime
from bot.errors import BotError
from bot.turn import take_request


class ActionHandoff(Action):
    """Rasa's rules sent the customer straight to a person."""

    def name(self) -> str:
        """The name domain.yml and the rules call this action by."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Open a ticket and pause the bot; a BotError gets the polite "unavailable" message
        instead.
        """
        rt = runtime.current()
        conv = conversation_from(tracker, language_of(tracker, rt.settings))
        intent = tracker.get_intent_of_latest_message()
        try:
            handoff = await asyncio.to_thread(take_request, rt, conv, intent)
        except BotError:
            return send_unavailable(dispatcher, rt.settings, conv.lang)
        return send_handoff(dispatcher, tracker, handoff)
