"""Connector state shared by Rasa replicas: the same contract in memory and in Redis.

RedisState needs the `redis` client, which only Rasa's environment has; these tests
run each check there, against the real Redis at 127.0.0.1:6379 (database 15).
"""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from svar_rasa.channels.state import MemoryState, OfferedButtons, SeenIds, handle_once
from tests.conftest import ROOT

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


class Boom(Exception):
    pass


async def test_a_message_is_handled_once_and_a_failed_one_again() -> None:
    seen = SeenIds("whatsapp", MemoryState())
    handled: list[str] = []

    async def handle() -> None:
        handled.append("x")

    assert await handle_once(seen, "wamid.1", handle)
    assert not await handle_once(seen, "wamid.1", handle)  # the redelivery

    async def fail() -> None:
        raise Boom()

    with pytest.raises(Boom):
        await handle_once(seen, "wamid.2", fail)
    assert await handle_once(seen, "wamid.2", handle)  # redelivered after the 503
    assert handled == ["x", "x"]


async def test_offered_buttons_resolve_a_number_only() -> None:
    offered = OfferedButtons("twilio", MemoryState())
    await offered.offer("whatsapp:+47", ['/choose{"faq":"a"}', '/choose{"faq":"b"}'])
    assert await offered.resolve("whatsapp:+47", " 2.") == '/choose{"faq":"b"}'
    assert await offered.resolve("whatsapp:+47", "3") == "3"
    assert await offered.resolve("whatsapp:+99", "1") == "1"


REDIS_CHECK = textwrap.dedent(
    """
    import asyncio
    from svar_rasa.channels.state import RedisState, SeenIds, StateUnavailable, handle_once

    async def main():
        url = "redis://127.0.0.1:6379/15"
        one, two = SeenIds("whatsapp", RedisState(url)), SeenIds("whatsapp", RedisState(url))
        await one.state._redis.flushdb()
        calls = []

        async def handle():
            await asyncio.sleep(0.2)
            calls.append(1)

        # Two replicas get the same delivery at once: one handles it.
        results = await asyncio.gather(
            handle_once(one, "wamid.X", handle), handle_once(two, "wamid.X", handle)
        )
        assert sorted(results) == [False, True] and calls == [1], (results, calls)
        ttl = await one.state._redis.ttl("svar:channel:seen:whatsapp:wamid.X")
        assert ttl > 6 * 24 * 3600, ttl  # kept a week once handled
        down = SeenIds("whatsapp", RedisState("redis://127.0.0.1:1/0"))
        try:
            await down.first_time("wamid.Y")
        except StateUnavailable:
            print("ok")

    asyncio.run(main())
    """
)


def test_replicas_share_seen_ids_through_redis() -> None:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", REDIS_CHECK], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
