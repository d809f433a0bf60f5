"""The metadata every connector attaches to a customer message, and its hand-over to Rasa.

The actions (and the handoff ticket) read `channel`, `sender`, `customer_id`
and `tier` from it, whichever channel the message came in on. `customer_verified`
says that the id and tier were proven (the widget's signed customer); the actions
ignore them otherwise. `sender_verified` says that the platform signed the webhook
that named the sender (WhatsApp, Messenger, Twilio).

`deliver` raises `MessageNotStored` when Rasa could not take the message (its
tracker store or lock store down): the webhook then answers 503, the platform
redelivers, and `handle_once` (state.py) lets the redelivery through.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from svar_privacy import log_id
from svar_rasa import guard
from svar_rasa.channels import stores, timeouts

logger = logging.getLogger(__name__)

# Rasa's tracker store must refuse, not forget, when its database is down; a hung
# action server must not keep the customer waiting for minutes.
stores.install()
timeouts.install()

# What a page may tell us about itself; never about who the customer is.
PAGE_FIELDS = ("language", "page")


def channel_metadata(
    channel: Text,
    sender: Text,
    customer_id: Optional[Text] = None,
    tier: Optional[Text] = None,
    **extra: Any,
) -> Dict[Text, Any]:
    """One shape for all channels; None where the channel does not know."""
    return {
        "channel": channel,
        "sender": sender,
        "customer_id": customer_id,
        "tier": tier,
        "customer_verified": False,
        **{k: v for k, v in extra.items() if v is not None},
    }


def page_fields(sent: Any) -> Dict[Text, Text]:
    """The page's own facts from client-sent metadata (strings, cut short); nothing else."""
    sent = sent if isinstance(sent, dict) else {}
    return {key: str(sent[key])[:500] for key in PAGE_FIELDS if sent.get(key)}


async def deliver(
    channel: Text,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    output: OutputChannel,
    sender: Text,
    text: Text,
    message_id: Optional[Text],
    unsupported_text: Text,
) -> None:
    """Hand a customer's text to Rasa; a message without text (media, stickers) gets the
    polite "unsupported" reply instead.

    Raises MessageNotStored when Rasa failed to take the message.
    """
    if not text:
        logger.info(
            "%s: unsupported message %s from %s answered", channel, message_id, log_id(sender)
        )
        await output.send_text_message(sender, unsupported_text)
        return
    arrival = guard.screen(text)
    if arrival.text is None:
        logger.info(
            "%s: message %s from %s refused at arrival", channel, message_id, log_id(sender)
        )
        await output.send_text_message(sender, arrival.refusal or unsupported_text)
        return
    metadata = channel_metadata(channel, sender, message_id=message_id, sender_verified=True)
    try:
        await on_new_message(
            UserMessage(arrival.text, output, sender, input_channel=channel, metadata=metadata)
        )
    except Exception as exc:
        logger.exception(
            "%s: handling message %s from %s failed", channel, message_id, log_id(sender)
        )
        raise MessageNotStored(channel, message_id) from exc


class MessageNotStored(Exception):
    """Rasa could not take a customer's message; the platform should redeliver it."""

    def __init__(self, channel: Text, message_id: Optional[Text]) -> None:
        super().__init__(f"{channel}: message {message_id} not stored")
