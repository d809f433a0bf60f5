"""How the turn's results become Rasa messages and events."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import channel_of
from bot.messages import message
from bot.settings import Settings
from bot.turn import Button, Handoff, Question, Reply

# Channels whose clients read the response contract; WhatsApp and Messenger never get it.
JSON_CHANNELS = frozenset({"rest", "socketio", "callback", None})


def buttons_of(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    """The turn's buttons as rasa-sdk takes them (every channel renders them its own way)."""
    return [{"title": b.title, "payload": b.payload} for b in buttons]


def send_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply, question: Question
) -> list[EventType]:
    """Send the reply text (with buttons), the contract JSON where the channel takes it,
    and the follow-up question; remember what was answered for the feedback."""
    dispatcher.utter_message(text=reply.text, buttons=buttons_of(reply.buttons))
    if channel_of(tracker) in JSON_CHANNELS:
        dispatcher.utter_message(json_message=reply.custom)
    if reply.follow_up:
        dispatcher.utter_message(text=reply.follow_up, buttons=buttons_of(reply.follow_up_buttons))
    answered = reply.kind == "answer" and reply.entry is not None
    return [
        SlotSet("language", reply.lang),
        SlotSet("awaiting_feedback", answered),
        SlotSet("last_faq_id", reply.entry.id if answered and reply.entry else None),
        SlotSet("last_question", question.text[:500] if answered else None),
        SlotSet("last_score", reply.score if answered else None),
    ]


def send_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, handoff: Handoff
) -> list[EventType]:
    """Tell the customer, attach the contract, pause the bot."""
    dispatcher.utter_message(text=handoff.text)
    if channel_of(tracker) in JSON_CHANNELS:
        dispatcher.utter_message(json_message=handoff.custom)
    return [
        SlotSet("language", handoff.lang),
        SlotSet("awaiting_feedback", False),
        ConversationPaused(),
    ]


def send_unavailable(
    dispatcher: CollectingDispatcher, settings: Settings, lang: str
) -> list[EventType]:
    """The polite answer when the bot service cannot do its part (a `BotError`)."""
    text = message("unavailable", lang, phone=settings.support_phone, email=settings.support_email)
    dispatcher.utter_message(text=text)
    return []
