"""action_answer_question: every message that is not small talk is a question for the KB."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, dispatch, language_hint
from bot import runtime
from bot.answering import Question, Reply, answer_entry, answer_question
from bot.errors import BotError
from bot.messages import message


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        latest = tracker.latest_message
        question = Question(
            text=latest.get("text") or "",
            sender_id=tracker.sender_id,
            channel=channel_of(tracker),
            conversation_lang=tracker.get_slot("language"),
            lang_hint=language_hint(tracker),
        )
        chosen = next(tracker.get_latest_entity_values("faq_id"), None)
        try:
            reply = await asyncio.to_thread(_reply, question, chosen)
        except BotError:
            lang = question.conversation_lang or "en"
            settings = runtime.current().settings
            dispatcher.utter_message(
                text=message(
                    "unavailable", lang, phone=settings.support_phone, email=settings.support_email
                )
            )
            return []
        dispatch(dispatcher, tracker, reply)
        return _events(reply, question)


def _reply(question: Question, chosen_faq_id: str | None) -> Reply:
    rt = runtime.current()
    if chosen_faq_id:
        lang = question.conversation_lang or question.lang_hint or rt.settings.default_language
        try:
            return answer_entry(rt, chosen_faq_id, lang)
        except KeyError:
            pass  # a stale button from an older index: treat the text as a question
    return answer_question(rt, question)


def _events(reply: Reply, question: Question) -> list[EventType]:
    answered = reply.kind == "answer" and reply.entry is not None
    return [
        SlotSet("language", reply.lang),
        SlotSet("awaiting_feedback", answered),
        SlotSet("last_faq_id", reply.entry.id if answered and reply.entry else None),
        SlotSet("last_question", question.text[:500] if answered else None),
        SlotSet("last_score", reply.score if answered else None),
    ]
