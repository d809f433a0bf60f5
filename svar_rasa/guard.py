"""The arrival guard: what every channel does with a customer's text before Rasa sees it.

Customer text is hostile until shown otherwise (DESIGN.md, "Trust boundaries"). Every
connector (REST, the widget's socket.io, WhatsApp, Messenger, Twilio) calls `screen`
where a message arrives, before Rasa's tracker store keeps it:

- a message longer than `max_message_chars()` (2,000 characters, `SVAR_MAX_MESSAGE_CHARS`)
  is refused, with a polite reply in the customer's language, and never stored; the
  conversation goes on with the next message;
- characters no store can keep (NUL, lone surrogates) are dropped;
- a `/intent{...}` payload is honoured only in the shapes Svar's own buttons send, so a
  customer cannot type entities or slots into Rasa (anything else loses its slash and is
  read as words).

Standard library, PyYAML and `svar_langid` only, so that it is testable without Rasa.
"""

import os
import re
from dataclasses import dataclass
from typing import Any, Optional, Text

from svar_langid import detect
from svar_rasa.locale import languages, say

DEFAULT_MAX_MESSAGE_CHARS = 2000
LANGUAGES = list(languages())

# The payloads Svar's buttons send: a bare intent, a clarify choice of one KB entry, or a
# 1-5 rating of the conversation.
_PAYLOAD = re.compile(
    r'/[a-z_]{1,40}|/choose_faq\{"faq_id": ?"[a-z0-9_]{1,100}"\}'
    r'|/rate_conversation\{"rating": ?[1-5]\}'
)
_UNSTORABLE = dict.fromkeys(range(0xD800, 0xE000)) | {0: None}


@dataclass(frozen=True)
class Arrival:
    """What became of one incoming message: `text` for Rasa, or a `refusal` to send back."""

    text: Optional[Text]
    refusal: Optional[Text] = None


def max_message_chars() -> int:
    """The cap, from `SVAR_MAX_MESSAGE_CHARS` (read at each call: tests and ops may change it)."""
    try:
        return max(1, int(os.environ.get("SVAR_MAX_MESSAGE_CHARS") or DEFAULT_MAX_MESSAGE_CHARS))
    except ValueError:
        return DEFAULT_MAX_MESSAGE_CHARS


def screen(text: Any, hint: Optional[Text] = None) -> Arrival:
    """The one check at arrival. `hint` is the channel's language hint (the widget's page)."""
    if not isinstance(text, str):
        text = ""
    limit = max_message_chars()
    if len(text) > limit:
        return Arrival(None, too_long_reply(text, hint, limit))
    return Arrival(safe_payload(text.translate(_UNSTORABLE)))


def safe_payload(text: Text) -> Text:
    """A leading slash only in the shapes Svar's buttons send; otherwise the words remain."""
    if text.startswith("/") and not _PAYLOAD.fullmatch(text):
        return text.lstrip("/").strip() or "?"
    return text


def too_long_reply(text: Text, hint: Optional[Text], limit: int) -> Text:
    """The refusal, in the message's language when it is clear, else the channel's, else English."""
    head = text[:500]
    lang = None
    if len(set(head.split())) >= 3:  # a run of one character says nothing about a language
        detection = detect(head, LANGUAGES)
        lang = detection.lang if detection.confidence >= 0.6 else None
    lang = lang or (hint if hint in LANGUAGES else "en")
    return say("too_long", lang, limit=f"{limit:,}".replace(",", "\u00a0" if lang != "en" else ","))
