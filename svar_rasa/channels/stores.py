"""Rasa's tracker store refuses when its database is down, instead of forgetting.

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`: when the database
cannot be read it starts the conversation afresh, and when it cannot be written
it keeps the conversation in this process's memory, logs, and the channel
answers 200. With replicas that loses the message (another replica, or a
restart, never sees it) and the customer is answered out of context. Here the
error is raised instead: the message is not handled, the connector answers 503
(metadata.py) and the platform redelivers it. Kept under channels/ so that
changing it never retrains the model (scripts/train.sh).
"""

import logging
from typing import Any, Optional

from rasa.core.tracker_store import FailSafeTrackerStore

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(Exception):
    """The tracker store could not be read or written."""


def refuse(error: Exception) -> None:
    logger.error("tracker store unavailable (%s): message refused", type(error).__name__)
    raise TrackerStoreUnavailable(str(type(error).__name__)) from error


def install() -> None:
    """Make every FailSafeTrackerStore raise on a store error (idempotent)."""
    if getattr(FailSafeTrackerStore, "_svar_refuses", False):
        return
    original = FailSafeTrackerStore.__init__

    def init(
        self: FailSafeTrackerStore,
        tracker_store: Any,
        on_tracker_store_error: Optional[Any] = None,
        fallback_tracker_store: Optional[Any] = None,
    ) -> None:
        original(self, tracker_store, on_tracker_store_error or refuse, fallback_tracker_store)

    FailSafeTrackerStore.__init__ = init  # type: ignore[method-assign]
    FailSafeTrackerStore._svar_refuses = True  # type: ignore[attr-defined]
