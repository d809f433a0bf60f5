"""Three targeted fixes to Rasa 3.6's custom-action client, installed once per process.

1. Speed: `RemoteAction._validate_action_result` calls `jsonschema.validate`,
   which re-checks the large events schema itself on every action call
   (about 15-30 ms on two cores, more than the whole KB search). The same
   validation with a validator compiled once costs about 2 ms.
2. Safety: when the action server is down or failing, Rasa logs the error and
   the customer hears nothing. Here the customer gets a short apology in the
   conversation's language instead, and the conversation goes on.
3. Speed: every action call goes over one kept-alive connection pool instead of
   a new connection (svar_rasa/action_client.py), and is timed when
   `SVAR_ACTION_TIMING` names a file (for `make bench`).

All keep Rasa's behaviour otherwise (same schema, same error message, action
rejections still propagate).
"""

import logging
import time
from functools import lru_cache
from typing import Any, Dict, List, Text

from jsonschema import ValidationError, validators
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException

from svar_privacy import log_id
from svar_rasa import action_client
from svar_rasa.locale import say

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid."
        )
        raise error


def _with_apology(run: Any) -> Any:
    async def guarded_run(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Event]:
        started = time.perf_counter()
        http_ms: List[float] = []
        endpoint = self.action_endpoint  # put back after the call: never wrapped twice
        if endpoint is not None:
            self.action_endpoint = action_client.ActionServer(endpoint, http_ms)
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException:
            logger.exception(
                "custom action %s failed; apologising to %s", self.name(), log_id(tracker.sender_id)
            )
            return [BotUttered(say("unavailable", tracker.get_slot("language")))]
        finally:
            self.action_endpoint = endpoint
            timings = action_client.timing_file()
            if timings:
                total_ms = (time.perf_counter() - started) * 1000
                action_client.record(timings, self.name(), total_ms, sum(http_ms))

    return guarded_run


def install() -> None:
    """Patch RemoteAction (idempotent)."""
    if getattr(RemoteAction, "_svar_patched", False):
        return
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    RemoteAction.run = _with_apology(RemoteAction.run)  # type: ignore[method-assign]
    RemoteAction._svar_patched = True  # type: ignore[attr-defined]
