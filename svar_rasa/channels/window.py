"""The 24-hour customer-service window of WhatsApp and Messenger.

A business may send free-form messages only within 24 hours of the customer's
last message. Bot replies always are; agent replies (sent later through Rasa's
HTTP API, perhaps by another replica) may not be. The connector records when
each customer last wrote in the channel state (svar_rasa/channels/state.py),
which several Rasa replicas share through Redis. A sender the state does not
know (or a state that cannot be read) is attempted: the platform then enforces
the window itself and the refusal is logged.
"""

import logging
import time
from typing import Callable, Optional, Text

from svar_privacy import log_id
from svar_rasa.channels.state import ChannelState, StateUnavailable, channel_state

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 24 * 60 * 60
# Kept a little longer than the window, so that "closed" can still be told from "unknown".
KEEP_SECONDS = 8 * WINDOW_SECONDS


class ServiceWindow:
    """When each sender last wrote, per channel."""

    def __init__(
        self,
        channel: Text = "",
        state: Optional[ChannelState] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._channel = channel
        self._state = state
        self._clock = clock

    def _key(self, sender: Text) -> Text:
        return f"wrote:{self._channel}:{sender}"

    async def customer_wrote(self, sender: Text) -> None:
        state = self._state or channel_state()
        await state.put(self._key(sender), repr(self._clock()), KEEP_SECONDS)

    async def is_closed(self, sender: Text) -> bool:
        """True only when we know the customer last wrote more than 24 hours ago."""
        state = self._state or channel_state()
        try:
            last = await state.get(self._key(sender))
        except StateUnavailable:
            logger.warning(
                "%s: window of %s unknown, sending anyway", self._channel, log_id(sender)
            )
            return False
        return last is not None and self._clock() - float(last) > WINDOW_SECONDS
