"""action_answer_question: every message that is not small talk is a question for the KB."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, dispatch, language_hint
from actions.handoff import conversation_from, send_handoff
from bot import runtime
from bot.answering import Question, Reply, answer_choice
from bot.errors import BotError
from bot.handoff.turn import TurnResult, take_turn
from bot.language import choose_language
from bot.messages import message
from bot.privacy.requests import open_request, privacy_request


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
            result = await asyncio.to_thread(_turn, tracker, question, chosen)
        except BotError:
            lang = question.conversation_lang or "en"
            settings = runtime.current().settings
            dispatcher.utter_message(
                text=message(
                    "unavailable", lang, phone=settings.support_phone, email=settings.support_email
                )
            )
            return []
        if result.handoff is not None:
            return send_handoff(dispatcher, tracker, result.handoff)
        assert result.reply is not None
        dispatch(dispatcher, tracker, result.reply)
        return _events(result.reply, question)


def _turn(tracker: Tracker, question: Question, chosen_faq_id: str | None) -> TurnResult:
    """A clarify button answers its entry; anything else is a turn that may hand off."""
    rt = runtime.current()
    if chosen_faq_id:
        lang = question.conversation_lang or question.lang_hint or rt.settings.default_language
        try:
            return TurnResult(answer_choice(rt, question, chosen_faq_id, lang), None)
        except KeyError:
            pass  # a stale button from an older index: treat the text as a question
    lang = choose_language(
        question.text, rt.settings, question.conversation_lang, question.lang_hint
    )
    if asked := privacy_request(question.text):  # GDPR arts. 15, 17: a person confirms
        return TurnResult(None, open_request(rt, conversation_from(tracker, lang), *asked))
    return take_turn(rt, conversation_from(tracker, lang), question)


def _events(reply: Reply, question: Question) -> list[EventType]:
    answered = reply.kind == "answer" and reply.entry is not None
    return [
        SlotSet("language", reply.lang),
        SlotSet("awaiting_feedback", answered),
        SlotSet("last_faq_id", reply.entry.id if answered and reply.entry else None),
        SlotSet("last_question", question.text[:500] if answered else None),
        SlotSet("last_score", reply.score if answered else None),
    ]
