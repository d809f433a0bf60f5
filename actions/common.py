"""What every action needs from the tracker, and how a Reply becomes messages."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answering import Button, Reply

# Channels whose clients read the response contract; WhatsApp and Messenger never get it.
JSON_CHANNELS = frozenset({"rest", "socketio", "callback", None})


def channel_of(tracker: Tracker) -> str | None:
    return tracker.get_latest_input_channel()


def language_hint(tracker: Tracker) -> str | None:
    """The language the channel says the customer uses (e.g. the widget's page)."""
    metadata = tracker.latest_message.get("metadata") or {}
    lang = metadata.get("language") or metadata.get("lang")
    return lang if isinstance(lang, str) else None


def verified_customer(tracker: Tracker) -> tuple[str | None, str | None]:
    """The customer's id and tier, only where the Rasa side proved them.

    The widget's connector sets `customer_verified` for a signed customer; every other
    source (the REST channel, a page's own metadata) is anonymous, whatever it claims.
    """
    metadata = tracker.latest_message.get("metadata") or {}
    if not isinstance(metadata, dict) or metadata.get("customer_verified") is not True:
        return None, None
    customer_id, tier = metadata.get("customer_id"), metadata.get("tier")
    return (
        str(customer_id)[:200] if customer_id else None,
        str(tier)[:50] if customer_id and tier else None,
    )


def _buttons(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    return [{"title": b.title, "payload": b.payload} for b in buttons]


def dispatch(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> None:
    """Send the reply text (with buttons), the contract JSON where the channel takes it,
    and the follow-up question."""
    dispatcher.utter_message(text=reply.text, buttons=_buttons(reply.buttons))
    if channel_of(tracker) in JSON_CHANNELS:
        dispatcher.utter_message(json_message=reply.custom)
    if reply.follow_up:
        dispatcher.utter_message(text=reply.follow_up, buttons=_buttons(reply.follow_up_buttons))
