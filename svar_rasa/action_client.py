"""Rasa 3.6's action-server client, timed on request.

With `SVAR_ACTION_TIMING` set to a file path, every custom-action call appends one
line to it, `action<TAB>total ms<TAB>HTTP ms`: the whole call in Rasa (tracker
and domain serialised, the request, the answer validated and turned into events)
and the HTTP request alone. `bench/turns.py` reads it to measure Rasa's round trip.
"""

import os
import time
from typing import Any, List, Optional, Text

from rasa.utils.endpoints import EndpointConfig

TIMING_ENV = "SVAR_ACTION_TIMING"


class ActionServer:
    """The action endpoint, its requests timed; attributes are the endpoint's."""

    def __init__(self, endpoint: EndpointConfig, timings: List[float]) -> None:
        self._endpoint = endpoint
        self._timings = timings

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)

    async def request(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        """Rasa's own `EndpointConfig.request`, timed."""
        started = time.perf_counter()
        try:
            return await EndpointConfig.request(self, *args, **kwargs)
        finally:
            self._timings.append((time.perf_counter() - started) * 1000)


def timing_file() -> Optional[Text]:
    """Where to append the per-call timings, if anywhere."""
    return os.environ.get(TIMING_ENV) or None


def record(path: Text, action: Text, total_ms: float, http_ms: float) -> None:
    """One line per call, written whole (concurrent calls never interleave inside a line)."""
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{action}\t{total_ms:.3f}\t{http_ms:.3f}\n")
