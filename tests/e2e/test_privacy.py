"""Personal data through the real Rasa server and bot service: masked in every store and log.

One conversation types a national id of each country, an IBAN, a card number, an
e-mail address and phone numbers; another asks for a person and gives a callback
number and e-mail. Then Rasa's tracker store (SQLite), the bot's database and both
servers' logs are read as raw text and searched for every value, as typed and as
bare digits. The callback details may be in exactly two places: the ticket's
callback field, and the `contact` metadata of the messages of the handed-off
conversation in the tracker (svar_rasa/channels/masking.py says why).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.stack import Stack, running_stack
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TOKEN = "privacy-test-token"

SECRETS = {
    "fodselsnummer": "150187 49391",
    "personnummer": "19850101-2382",
    "card": "4111 1111 1111 1111",
    "bsn": "111222333",
    "iban": "NL91 ABNA 0417 1643 00",
    "email": "piet.devries@example.nl",
    "cpr": "010185-1001",
    "henkilotunnus": "131052-308T",
    "phone": "+44 20 7946 0958",
    "paused_fnr": "01017012343",
}
CALLBACK_PHONE = "912 34 567"
CALLBACK_EMAIL = "kari.callback@example.no"
MESSAGES = [
    f"How much does shipping cost? btw my fødselsnummer is {SECRETS['fodselsnummer']}",
    f"Who won the football world cup in 1998? personnummer {SECRETS['personnummer']}, "
    f"kort {SECRETS['card']}",
    f"Mijn BSN is {SECRETS['bsn']} en IBAN {SECRETS['iban']}, mail {SECRETS['email']}",
    f"CPR {SECRETS['cpr']} og hetu {SECRETS['henkilotunnus']}, call me on {SECRETS['phone']}",
]


@pytest.fixture(scope="module")
def pstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("privacy-stack")
    faq_dir = workdir / "faq"
    shutil.copytree(FIXTURE_KB, faq_dir)
    env = {"BOT_CONSOLE_TOKEN": TOKEN, "BOT_SECRET_KEY": "privacy-tests"}
    with running_stack(faq_dir, workdir, env) as stack:
        yield stack


@pytest.fixture(scope="module")
def conversation(pstack: Stack) -> dict[str, Any]:
    """Both conversations, once for the module; returns the handoff's ticket."""
    sender = new_sender()
    for text in MESSAGES:
        pstack.say(sender, text)
    other = new_sender()
    contract = custom_of(pstack.say(other, f"can I talk to someone? ring meg på {CALLBACK_PHONE}"))
    assert contract["kind"] == "handoff", contract
    paused = f"eller mail {CALLBACK_EMAIL}, fnr {SECRETS['paused_fnr']}"
    assert pstack.say(other, paused) == []
    response = httpx.get(
        f"{pstack.bot_url}/api/tickets/{contract['ticket_id']}",
        headers={"authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


def test_handoff_callback_details_reach_the_ticket_field(conversation: dict[str, Any]) -> None:
    assert conversation["details"]["callback"] == {
        "phone": CALLBACK_PHONE,
        "email": CALLBACK_EMAIL,
    }
    customer_texts = [m["text"] for m in conversation["transcript"] if m["role"] == "customer"]
    assert customer_texts[0] == "can I talk to someone? ring meg på [phone]"
    assert customer_texts[-1] == "eller mail [email], fnr [fødselsnummer]"


def test_tracker_store_holds_no_raw_value(pstack: Stack, conversation: dict[str, Any]) -> None:
    rows = _rows(pstack.workdir / "tracker.db")
    assert any("[personnummer]" in row for row in rows)  # the messages are there, masked
    kept = []
    for sender, events in _events_by_sender(pstack.workdir / "tracker.db").items():
        for i, event in enumerate(events):
            contact = (event.get("metadata") or {}).pop("contact", None)
            if contact is not None:
                # Only in a handed-off conversation: paused already, or handing off now.
                assert _paused_at(events, i), (sender, event.get("text"))
                kept += contact.values()
            _assert_none_in(json.dumps(event, ensure_ascii=False), list(SECRETS.values()))
            _assert_none_in(json.dumps(event, ensure_ascii=False), [CALLBACK_PHONE, CALLBACK_EMAIL])
    assert {CALLBACK_PHONE, CALLBACK_EMAIL} <= set(kept)
    assert not set(kept) & {SECRETS["paused_fnr"], SECRETS["card"], SECRETS["iban"]}
    for row in rows:
        if not _json_objects(row):
            _assert_none_in(row, [*SECRETS.values(), CALLBACK_PHONE, CALLBACK_EMAIL])


def _events_by_sender(path: Path) -> dict[str, list[dict[str, Any]]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    found: dict[str, list[dict[str, Any]]] = {}
    for sender, data in rows:
        found.setdefault(sender, []).append(json.loads(data))
    return found


def _paused_at(events: list[dict[str, Any]], i: int) -> bool:
    """Paused when event i came, or paused by the turn it started (before the next message)."""
    paused = False
    for event in events[:i]:
        paused = {"pause": True, "resume": False}.get(event.get("event", ""), paused)
    after = events[i + 1 :]
    handed_off = next((e for e in after if e.get("event") in ("pause", "user")), {})
    return paused or handed_off.get("event") == "pause"


def test_bot_database_holds_no_raw_value(pstack: Stack, conversation: dict[str, Any]) -> None:
    path = Path(pstack.database_url.removeprefix("sqlite:///"))
    rows = _rows(path)
    assert any("[card]" in row for row in rows)  # the gap and the turn log, masked
    contacts = {CALLBACK_PHONE, CALLBACK_EMAIL, SECRETS["phone"], SECRETS["email"]}
    kept: list[str] = []
    for row in rows:
        for details in _json_objects(row):  # a ticket's details: only the callback field
            kept += (details.pop("callback", None) or {}).values()
            row = json.dumps(details, ensure_ascii=False)
        _assert_none_in(row, [*SECRETS.values(), CALLBACK_PHONE, CALLBACK_EMAIL])
    assert {CALLBACK_PHONE, CALLBACK_EMAIL} <= set(kept) <= contacts


def test_logs_hold_no_raw_value(pstack: Stack, conversation: dict[str, Any]) -> None:
    for log in ("bot.log", "rasa.log"):
        text = (pstack.workdir / log).read_text(encoding="utf-8", errors="replace")
        _assert_none_in(text, [*SECRETS.values(), CALLBACK_PHONE, CALLBACK_EMAIL])


def _rows(path: Path) -> list[str]:
    """Every value of every row of every table, as text."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [
            str(value)
            for table in tables
            for row in db.execute(f'SELECT * FROM "{table}"')  # table names from SQLite
            for value in row
            if value is not None
        ]


def _json_objects(value: str) -> list[dict[str, Any]]:
    if not value.startswith("{"):
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return [parsed] if isinstance(parsed, dict) else []


def _assert_none_in(text: str, values: list[str]) -> None:
    digits_only = re.sub(r"[\s.\-]", "", text)
    for value in values:
        assert value not in text, value
        compact = re.sub(r"[\s.\-]", "", value)
        assert compact not in digits_only, value
