"""The 24-hour customer-service window of WhatsApp and Messenger.

A business may send free-form messages only within 24 hours of the customer's
last message. Bot replies always are; agent replies (sent later through Rasa's
HTTP API) may not be. The connector records when each customer last wrote.
The record is per Rasa process: after a restart (or on another replica) a
sender is unknown and the message is attempted; the platform then enforces
the window itself and the refusal is logged.
"""

import time
from collections import OrderedDict
from typing import Callable, Text

WINDOW_SECONDS = 24 * 60 * 60


class ServiceWindow:
    """When each sender last wrote, bounded to the most recent `capacity` senders."""

    def __init__(self, capacity: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self._last: "OrderedDict[Text, float]" = OrderedDict()
        self._capacity = capacity
        self._clock = clock

    def customer_wrote(self, sender: Text) -> None:
        self._last[sender] = self._clock()
        self._last.move_to_end(sender)
        while len(self._last) > self._capacity:
            self._last.popitem(last=False)

    def is_closed(self, sender: Text) -> bool:
        """True only when we know the customer last wrote more than 24 hours ago."""
        last = self._last.get(sender)
        return last is not None and self._clock() - last > WINDOW_SECONDS
