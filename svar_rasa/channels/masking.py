"""Mask personal data in every customer message before Rasa parses or stores it.

Every channel (REST, the widget's socket.io, WhatsApp, Messenger, Twilio) hands its
messages to Rasa's `MessageProcessor`, which turns a `UserMessage` into the
`UserUttered` event that the tracker store keeps. The one choke point is there:
the text is masked (`svar_privacy`) before NLU sees it, so the tracker store,
Rasa's debug logs and the actions only ever get "[personnummer]", "[card]"...

A phone number or e-mail address the customer gives is also personal data, but
sometimes given for a purpose: "ring me on 912 34 567" when asking for a person,
or the callback number written while the conversation waits for an agent. For
that flow only, the value as typed rides along in the metadata of the message's
event (`contact`), so that the handoff can put it in the ticket's own callback field:

- in an ordinary turn it is dropped from the tracker before Rasa saves it, so the
  tracker store never holds it (the action that runs in the same turn has seen it);
- in a handed-off (paused) conversation, and in the message that handed it off, it
  is kept in that message's metadata, because the bot service reads those messages
  back from the tracker when the agent opens the ticket. It is the same number the
  ticket keeps, and it goes with the conversation's retention.
"""

import logging
from typing import Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from svar_privacy import mask

logger = logging.getLogger(__name__)
CONTACT_KEY = "contact"


def mask_message(message: UserMessage) -> Optional[Dict[Text, Text]]:
    """Mask the message's text in place; return the contact details it held, if any."""
    if not isinstance(message.text, str) or not message.text:
        return None
    masked = mask(message.text)
    if not masked.findings:
        return None
    message.text = masked.text
    if message.parse_data and isinstance(message.parse_data.get("text"), str):
        message.parse_data["text"] = masked.text
    logger.debug("masked %s in message %s", ",".join(masked.kinds), message.message_id)
    return masked.contacts() or None


def keep_contact(tracker: DialogueStateTracker, contact: Dict[Text, Text]) -> None:
    """Put the contact details on the message just logged (its event's metadata only:
    not the message's own metadata, which NLU copies into the parse data and a new
    session into a slot)."""
    latest = tracker.latest_message
    if latest is not None:
        latest.metadata = {**(latest.metadata or {}), CONTACT_KEY: contact}


def drop_contacts(tracker: DialogueStateTracker) -> None:
    """Remove the contact details from the conversation's messages (not yet saved ones)."""
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.metadata and CONTACT_KEY in event.metadata:
            event.metadata = {k: v for k, v in event.metadata.items() if k != CONTACT_KEY}


def install() -> None:
    """Patch MessageProcessor (idempotent)."""
    if getattr(MessageProcessor, "_svar_masking", False):
        return
    handle = MessageProcessor._handle_message_with_tracker
    save = MessageProcessor.save_tracker

    async def masked_handle(
        self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker
    ) -> None:
        contact = mask_message(message)
        await handle(self, message, tracker)
        if contact:
            keep_contact(tracker, contact)

    async def save_without_contacts(self: MessageProcessor, tracker: DialogueStateTracker) -> None:
        if not tracker.is_paused():
            drop_contacts(tracker)
        await save(self, tracker)

    MessageProcessor._handle_message_with_tracker = masked_handle  # type: ignore[method-assign]
    MessageProcessor.save_tracker = save_without_contacts  # type: ignore[method-assign]
    MessageProcessor._svar_masking = True  # type: ignore[attr-defined]
