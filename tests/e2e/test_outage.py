"""When the bot service is down, the customer hears a safe apology, never silence or a trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.stack import running_stack
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_action_server_outage_gets_apology_and_rasa_keeps_working(tmp_path: Path) -> None:
    with running_stack(FIXTURE_KB, tmp_path) as stack:
        sender = new_sender()
        assert stack.say(sender, "Hvor lang tid tar det før kaffen min kommer frem?")
        stack.bot.terminate()  # the bot service goes away
        stack.bot.wait(timeout=20)
        messages = stack.say(sender, "Hvor mye koster frakten?")
        assert [m["text"] for m in messages] == [
            "Beklager, jeg får ikke slått opp det akkurat nå. Prøv igjen om litt."
        ]
        greeting = stack.say(sender, "Hei hei, god morgen til deg")
        assert greeting and greeting[0]["text"].startswith("Hei")
