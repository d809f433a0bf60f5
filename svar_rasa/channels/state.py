"""Connector state that every Rasa replica must see: seen message ids, offered buttons,
when each customer last wrote.

With one Rasa process, memory is enough (`MemoryState`, the default). With several
behind a load balancer, a redelivered webhook or the customer's "2" may reach
another replica, so the state lives in Redis (`RedisState`), which the replicas
already share for Rasa's lock store: set `SVAR_CHANNEL_STATE_URL`, e.g.
`redis://127.0.0.1:6379/2`. Entries expire on their own (TTL), so nothing grows.

Only the standard library here, and `redis` (a Rasa dependency) when configured.
"""

import json
import logging
import os
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, List, Optional, Protocol, Text, Tuple

logger = logging.getLogger(__name__)

STATE_URL_ENV = "SVAR_CHANNEL_STATE_URL"
PREFIX = "svar:channel:"


class StateUnavailable(Exception):
    """The shared store could not be reached: the webhook is refused, to be redelivered."""


class ChannelState(Protocol):
    async def claim(self, key: Text, ttl: float) -> bool:
        """Take `key` if nobody has (True), atomically across replicas."""

    async def release(self, key: Text) -> None:
        """Give `key` back (handling failed: the redelivery must be handled)."""

    async def put(self, key: Text, value: Text, ttl: float) -> None: ...

    async def get(self, key: Text) -> Optional[Text]: ...


class MemoryState:
    """One process's state, bounded to `capacity` keys (the oldest go first)."""

    def __init__(self, capacity: int = 200_000, clock: Callable[[], float] = time.time) -> None:
        self._items: "OrderedDict[Text, Tuple[Text, float]]" = OrderedDict()
        self._capacity = capacity
        self._clock = clock

    async def claim(self, key: Text, ttl: float) -> bool:
        if await self.get(key) is not None:
            return False
        await self.put(key, "1", ttl)
        return True

    async def release(self, key: Text) -> None:
        self._items.pop(key, None)

    async def put(self, key: Text, value: Text, ttl: float) -> None:
        self._items[key] = (value, self._clock() + ttl)
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    async def get(self, key: Text) -> Optional[Text]:
        found = self._items.get(key)
        if found is None or found[1] < self._clock():
            return None
        return found[0]


class RedisState:
    """Shared by every replica: SET NX for claims, TTLs for expiry."""

    def __init__(self, url: Text) -> None:
        from redis import asyncio as aioredis  # only when configured: Rasa ships it

        self._redis: Any = aioredis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True
        )
        self._errors: Tuple[type, ...] = (aioredis.RedisError, OSError)

    async def claim(self, key: Text, ttl: float) -> bool:
        return bool(await self._call("set", PREFIX + key, "1", nx=True, ex=max(1, int(ttl))))

    async def release(self, key: Text) -> None:
        await self._call("delete", PREFIX + key)

    async def put(self, key: Text, value: Text, ttl: float) -> None:
        await self._call("set", PREFIX + key, value, ex=max(1, int(ttl)))

    async def get(self, key: Text) -> Optional[Text]:
        value = await self._call("get", PREFIX + key)
        return None if value is None else str(value)

    async def _call(self, command: Text, *args: Any, **kwargs: Any) -> Any:
        try:
            return await getattr(self._redis, command)(*args, **kwargs)
        except self._errors as exc:
            raise StateUnavailable(f"channel state: {type(exc).__name__}") from exc


_shared: Optional[ChannelState] = None


def channel_state() -> ChannelState:
    """The process's state: Redis when `SVAR_CHANNEL_STATE_URL` is set, else memory."""
    global _shared
    if _shared is None:
        url = os.environ.get(STATE_URL_ENV, "").strip()
        _shared = RedisState(url) if url else MemoryState()
        logger.info("channel state in %s", "redis" if url else "this process's memory")
    return _shared


class SeenIds:
    """Platforms redeliver a webhook they think failed; each message id is handled once.

    An id is claimed for the time one turn takes, then kept as handled for a week
    (Meta retries that long); a failed turn gives it back.
    """

    TTL = 7 * 24 * 3600

    def __init__(self, channel: Text, state: Optional[ChannelState] = None) -> None:
        self.channel = channel
        self._state = state

    @property
    def state(self) -> ChannelState:
        return self._state or channel_state()

    def _key(self, message_id: Text) -> Text:
        return f"seen:{self.channel}:{message_id}"

    async def first_time(self, message_id: Optional[Text], claim_seconds: float = TTL) -> bool:
        if not message_id:
            return True
        return await self.state.claim(self._key(message_id), claim_seconds)

    async def done(self, message_id: Optional[Text]) -> None:
        if message_id:
            await self.state.put(self._key(message_id), "handled", self.TTL)

    async def failed(self, message_id: Optional[Text]) -> None:
        """Handling failed before the message was stored: let the redelivery through."""
        if message_id:
            await self.state.release(self._key(message_id))


class OfferedButtons:
    """The buttons last offered to each sender, so that a reply "2" means the second one
    on whichever replica it arrives."""

    TTL = 24 * 3600

    def __init__(self, channel: Text, state: Optional[ChannelState] = None) -> None:
        self._channel = channel
        self._state = state

    def _key(self, sender: Text) -> Text:
        return f"offered:{self._channel}:{sender}"

    async def offer(self, sender: Text, payloads: List[Text]) -> None:
        state = self._state or channel_state()
        await state.put(self._key(sender), json.dumps(payloads), self.TTL)

    async def resolve(self, sender: Text, text: Text) -> Text:
        choice = text.strip().rstrip(".")
        if not choice.isdigit():
            return text
        state = self._state or channel_state()
        payloads = json.loads(await state.get(self._key(sender)) or "[]")
        if 1 <= int(choice) <= len(payloads):
            return str(payloads[int(choice) - 1])
        return text


# Long enough for one turn; if releasing a failed claim fails too, the redelivery
# gets through once this expires.
HANDLING_SECONDS = 120


async def handle_once(
    seen: SeenIds, message_id: Optional[Text], handle: Callable[[], Awaitable[Any]]
) -> bool:
    """Run `handle` unless another delivery of `message_id` has (False: a duplicate).

    On failure the id is released and the error raised, so that the webhook answers
    non-2xx and the platform's redelivery is handled.
    """
    if not await seen.first_time(message_id, HANDLING_SECONDS):
        logger.info("%s: duplicate delivery of %s ignored", seen.channel, message_id)
        return False
    try:
        await handle()
    except BaseException:
        try:
            await seen.failed(message_id)
        except StateUnavailable:
            logger.warning("%s: could not release %s; it expires", seen.channel, message_id)
        raise
    try:
        await seen.done(message_id)
    except StateUnavailable:  # stored already: the platform must get its 2xx
        logger.warning("%s: could not mark %s as handled", seen.channel, message_id)
    return True
