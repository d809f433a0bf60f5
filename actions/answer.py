"""action_answer_question: every message that is not small talk is a question for the KB."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.rating import ask_rating
from actions.tracker import (
    conversation_from,
    question_from,
    send_handoff,
    send_reply,
    send_unavailable,
)
from bot import metrics, runtime
from bot.errors import BotError
from bot.turn import take_turn


class ActionAnswerQuestion(Action):
    """Answers a customer's question from the KB, or hands off when the turn's triggers say so."""

    def name(self) -> str:
        """The name domain.yml and the rules call this action by."""
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """One turn: a clarify button's `faq_id` entity answers that entry; a BotError gets the
        polite "unavailable" message instead of rasa-sdk's error.
        """
        rt = runtime.current()
        question = question_from(tracker, rt.settings)
        conv = conversation_from(tracker, question.lang)
        chosen = next(tracker.get_latest_entity_values("faq_id"), None)  # a clarify button
        started = time.perf_counter()
        try:
            result = await asyncio.to_thread(take_turn, rt, conv, question, chosen)
        except BotError:
            return send_unavailable(dispatcher, rt.settings, question.conversation_lang or "en")
        finally:
            metrics.TURN_SECONDS.observe(time.perf_counter() - started)
        if result.handoff is not None:
            return send_handoff(dispatcher, tracker, result.handoff)
        assert result.reply is not None
        events = send_reply(dispatcher, tracker, result.reply, question)
        if result.reply.kind == "closing":  # a thank-you NLU took for a question: as after thanks
            ask_rating(dispatcher, tracker, result.reply.lang, "thanks")
        return events
