"""action_ask_rating and action_record_rating: one satisfaction question at a conversation's end."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import JSON_CHANNELS, buttons_of, channel_of, language_of, session_so_far
from bot import runtime
from bot.turn import RatingRecord, rating_question, should_ask, take_rating


class ActionAskRating(Action):
    """After goodbye or thanks: asks for a 1-5 rating when the bot alone answered, once."""

    def name(self) -> str:
        """The name domain.yml and the rules call this action by."""
        return "action_ask_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The question with one button per score (and the contract where the channel takes
        it), or nothing when the rule says not to ask."""
        rt = runtime.current()
        lang = tracker.get_slot("language") or language_of(tracker, rt.settings)
        ask_rating(dispatcher, tracker, lang, tracker.get_intent_of_latest_message())
        return []


def ask_rating(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, intent: str | None
) -> None:
    """Ask for the rating when the customer's `intent` ends a conversation the bot answered alone
    (also for a thank-you NLU did not place, which reaches action_answer_question)."""
    if not should_ask(session_so_far(tracker), intent):
        return
    text, buttons, custom = rating_question(lang)
    dispatcher.utter_message(text=text, buttons=buttons_of(buttons))
    if channel_of(tracker) in JSON_CHANNELS:
        dispatcher.utter_message(json_message=custom)


class ActionRecordRating(Action):
    """Stores the rating a button sent (`/rate_conversation{"rating": 4}`) and says thank you."""

    def name(self) -> str:
        """The name domain.yml and the rules call this action by."""
        return "action_record_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Stored only when it answers this session's question, the first time."""
        rt = runtime.current()
        session = session_so_far(tracker)
        record = RatingRecord(
            sender_id=tracker.sender_id,
            session_started_at=session.started_at,
            score=_score(next(tracker.get_latest_entity_values("rating"), None)),
            lang=tracker.get_slot("language") or language_of(tracker, rt.settings),
            channel=channel_of(tracker),
        )
        text = await asyncio.to_thread(take_rating, rt, session, record)
        dispatcher.utter_message(text=text)
        return []


def _score(value: Any) -> int:
    """The entity as a whole number; 0 (outside the scale) when it is not one."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0
