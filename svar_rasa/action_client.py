"""Rasa 3.6's action-server client: one kept-alive connection pool, timed on request.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp session, so a new TCP
connection, for every custom-action call and closes it afterwards: every KB turn
paid for setting up and tearing down a connection on both sides, and for a new
session's connector. `ActionServer` wraps the action endpoint so that its calls
share one session per endpoint and event loop, kept alive (aiohttp drops an idle
connection after 15 s, before the bot service's 30 s); the request itself is
Rasa's own code (URL, headers, token, errors).

With `SVAR_ACTION_TIMING` set to a file path, every custom-action call appends one
line to it, `action<TAB>total ms<TAB>HTTP ms`: the whole call in Rasa (tracker
and domain serialised, the request, the answer validated and turned into events)
and the HTTP request alone. `bench/turns.py` reads it to measure Rasa's round trip.
"""

import asyncio
import os
import time
from typing import Any, Dict, List, Optional, Text, Tuple

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

TIMING_ENV = "SVAR_ACTION_TIMING"

# (endpoint, loop) -> (loop, session): Rasa serves on one loop; a test may run several.
_sessions: Dict[Tuple[int, int], Tuple[Any, aiohttp.ClientSession]] = {}


class _Borrowed:
    """`async with` the shared session without closing it at the end of the block."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_: Any) -> None:
        return None


class ActionServer:
    """The action endpoint over a shared session, its requests timed; attributes are the
    endpoint's."""

    def __init__(self, endpoint: EndpointConfig, timings: List[float]) -> None:
        self._endpoint = endpoint
        self._timings = timings

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)

    def session(self) -> _Borrowed:
        """This loop's session for the endpoint, made as Rasa makes one (its headers, basic
        auth and timeout), without a cookie jar: nothing the action server sets comes back."""
        loop = asyncio.get_running_loop()
        key = (id(self._endpoint), id(loop))
        found = _sessions.get(key)
        if found is None or found[0] is not loop or found[1].closed:
            basic = self._endpoint.basic_auth
            session = aiohttp.ClientSession(
                headers=self._endpoint.headers,
                auth=aiohttp.BasicAuth(basic["username"], basic["password"]) if basic else None,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            found = _sessions[key] = (loop, session)
        return _Borrowed(found[1])

    async def request(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        """Rasa's own `EndpointConfig.request`, over the shared session, timed."""
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
