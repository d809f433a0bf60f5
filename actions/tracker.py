"""Between a Rasa tracker and the turn, both ways: what the turn reads, and what it says.

The one place that knows rasa-sdk's shapes. In: the tracker's events, slots, the
channel's metadata and the language reading the Rasa side put in the parse data
become the turn's `Conversation` and `Question`. Out: the turn's `Reply` or `Handoff`
becomes the dispatcher's messages (with the response contract where the channel takes
it) and the events that set slots or pause the bot. Each action is then a few lines:
read, one call into bot/turn, send.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language import Detected, choose_language
from bot.messages import message
from bot.settings import Settings
from bot.turn import (
    RATE_INTENT,
    Button,
    Conversation,
    Handoff,
    Question,
    Reply,
    SessionSoFar,
    Turn,
)

# A new stretch of conversation starts at a new session or when an agent hands back.
_STARTS = frozenset({"session_started", "resume"})
# Channels whose clients read the response contract; WhatsApp and Messenger never get it.
JSON_CHANNELS = frozenset({"rest", "socketio", "callback", None})


def channel_of(tracker: Tracker) -> str | None:
    """The input channel of the latest message (rest, socketio, whatsapp, ...)."""
    channel: str | None = tracker.get_latest_input_channel()
    return channel


def language_hint(tracker: Tracker) -> str | None:
    """The language the channel says the customer uses (e.g. the widget's page)."""
    metadata = tracker.latest_message.get("metadata") or {}
    lang = metadata.get("language") or metadata.get("lang")
    return lang if isinstance(lang, str) else None


def language_of(tracker: Tracker, settings: Settings) -> str:
    """The turn's language, chosen once from what the Rasa side read in the message."""
    detected = Detected.from_parse_data(tracker.latest_message)
    return choose_language(detected, settings, tracker.get_slot("language"), language_hint(tracker))


def question_from(tracker: Tracker, settings: Settings) -> Question:
    """The latest message as a question for the turn."""
    return Question(
        text=tracker.latest_message.get("text") or "",
        sender_id=tracker.sender_id,
        lang=language_of(tracker, settings),
        channel=channel_of(tracker),
        conversation_lang=tracker.get_slot("language"),
        detected=Detected.from_parse_data(tracker.latest_message),
    )


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


def conversation_from(tracker: Tracker, lang: str) -> Conversation:
    """Customer and bot turns since the conversation (re)started, with the channel's facts."""
    events = list(tracker.events)
    start = max((i for i, e in enumerate(events) if e.get("event") in _STARTS), default=-1)
    turns: list[Turn] = []
    for event in events[start + 1 :]:
        at = _time(event.get("timestamp"))
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            contact = contact_of(event.get("metadata"))
            turns.append(Turn("customer", event.get("text") or "", at, intent, contact=contact))
        elif event.get("event") == "bot":
            _add_bot(turns, event, at)
    customer_id, tier = verified_customer(tracker)
    return Conversation(
        sender_id=tracker.sender_id,
        turns=tuple(turns),
        channel=channel_of(tracker),
        lang=lang,
        customer_id=customer_id,
        tier=tier,
        started_at=turns[0].at if turns else None,
    )


def session_so_far(tracker: Tracker) -> SessionSoFar:
    """The current Rasa session before the latest message: answered, handed off, rated.

    Read from events every channel records (the slot an answer sets, the pause a handoff
    sets, the rating buttons), not from the response contract WhatsApp never receives.
    """
    events = list(tracker.events)
    start = max((i for i, e in enumerate(events) if e.get("event") == "session_started"), default=0)
    session = events[start:]
    latest = max(
        (i for i, e in enumerate(session) if e.get("event") == "user"), default=len(session)
    )
    before = session[:latest]
    return SessionSoFar(
        started_at=_time(session[0].get("timestamp") if session else None) or datetime.now(UTC),
        answered=any(
            e.get("event") == "slot" and e.get("name") == "last_faq_id" and e.get("value")
            for e in before
        ),
        handed_off=any(e.get("event") == "pause" for e in session),
        asked=any(_asks_rating(e) for e in before),
        rated=any(_intent_of(e) == RATE_INTENT for e in before),
    )


def _asks_rating(event: dict[str, Any]) -> bool:
    buttons = (event.get("data") or {}).get("buttons") or [] if event.get("event") == "bot" else []
    return any(str(b.get("payload", "")).startswith(f"/{RATE_INTENT}") for b in buttons)


def _intent_of(event: dict[str, Any]) -> str | None:
    if event.get("event") != "user":
        return None
    name: str | None = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return name


def contact_of(metadata: Any) -> tuple[tuple[str, str], ...]:
    """The phone/e-mail Rasa kept beside a masked message, for the callback field."""
    contact = metadata.get("contact") if isinstance(metadata, dict) else None
    if not isinstance(contact, dict):
        return ()
    return tuple((k, str(v)) for k, v in contact.items() if k in ("phone", "email") and v)


def _add_bot(turns: list[Turn], event: dict[str, Any], at: datetime | None) -> None:
    custom = (event.get("data") or {}).get("custom") or {}
    text = event.get("text")
    if text:
        turns.append(Turn("bot", text, at))
    kind = custom.get("kind") if isinstance(custom, dict) else None
    if kind and turns and turns[-1].role == "bot" and turns[-1].kind is None:
        last = turns.pop()
        turns.append(
            Turn(
                "bot",
                last.text,
                last.at,
                kind=kind,
                faq_id=custom.get("faq_id"),
                score=custom.get("score"),
            )
        )


def _time(timestamp: Any) -> datetime | None:
    return datetime.fromtimestamp(float(timestamp), UTC) if timestamp else None


# The way out: the turn's results as Rasa messages and events.


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
