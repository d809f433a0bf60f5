"""The customer hears something within seconds when the action server hangs.

Rasa 3.6 waits up to five minutes for a custom action, and a timeout is not one of
the errors it turns into a failed action: the customer hears nothing, and the
conversation's lock is held all that time. Here an action call gives up after
`SVAR_ACTION_TIMEOUT` seconds (4 by default, leaving room for the reply within
the 5 s a customer waits) and the timeout becomes the RasaException that
svar_rasa/patches.py answers with a polite "one moment, try again" in the
customer's language. A replica that died is routed around by the load balancer
within two seconds, so the next turn is answered.

Installed from the channel connectors (metadata.py), before Rasa loads the model
(and svar_rasa/patches.py wraps RemoteAction.run around this).
"""

import asyncio
import logging
import os
from typing import Any, List

from rasa.core.actions import action
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

TIMEOUT_ENV = "SVAR_ACTION_TIMEOUT"
DEFAULT_SECONDS = 4.0


def action_timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV) or DEFAULT_SECONDS)
    except ValueError:
        logger.warning("%s is not a number; using %s s", TIMEOUT_ENV, DEFAULT_SECONDS)
        return DEFAULT_SECONDS


def install() -> None:
    """Shorten the action call's timeout and make a timeout a failed action (idempotent)."""
    if getattr(RemoteAction, "_svar_timeout", False):
        return
    seconds = action_timeout()
    action.DEFAULT_REQUEST_TIMEOUT = seconds  # read by RemoteAction.run at each call
    run = RemoteAction.run

    async def run_with_timeout(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Event]:
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except asyncio.TimeoutError as exc:
            raise RasaException(f"action server gave no answer within {seconds:g} s") from exc

    RemoteAction.run = run_with_timeout  # type: ignore[method-assign]
    RemoteAction._svar_timeout = True  # type: ignore[attr-defined]
