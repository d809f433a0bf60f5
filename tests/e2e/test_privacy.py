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
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.stack import ROOT, Stack, running_stack
from tests.browser import headless_chromium
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TOKEN = "privacy-test-token"
ADMIN_TOKEN = "privacy-admin-token-0123456789"
SENDERS: dict[str, str] = {}  # "numbers" and "callback": the two conversations' sender ids

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
    f"Do you sell green tea as well? personnummer {SECRETS['personnummer']}, "
    f"kort {SECRETS['card']}",
    f"Mijn BSN is {SECRETS['bsn']} en IBAN {SECRETS['iban']}, mail {SECRETS['email']}",
    f"CPR {SECRETS['cpr']} og hetu {SECRETS['henkilotunnus']}, call me on {SECRETS['phone']}",
]


@pytest.fixture(scope="module")
def pstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("privacy-stack")
    faq_dir = workdir / "faq"
    shutil.copytree(FIXTURE_KB, faq_dir)
    env = {
        "BOT_CONSOLE_TOKEN": TOKEN,
        "BOT_SECRET_KEY": "privacy-tests",
        "BOT_API_TOKENS": f"dpo:{ADMIN_TOKEN}:admin",
    }
    with running_stack(faq_dir, workdir, env) as stack:
        yield stack


@pytest.fixture(scope="module")
def conversation(pstack: Stack) -> dict[str, Any]:
    """Both conversations, once for the module; returns the handoff's ticket."""
    sender = new_sender()
    for text in MESSAGES:
        pstack.say(sender, text)
    other = new_sender()
    SENDERS.update(numbers=sender, callback=other)
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
        for sender in SENDERS.values():  # sender ids only as keyed hashes (svar_privacy.log_id)
            assert sender not in text, (log, sender)


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


def test_delete_my_data_opens_an_erasure_request(pstack: Stack) -> None:
    messages = pstack.say(new_sender(), "Hei! Kan dere slette dataene mine?")
    contract = custom_of(messages)
    assert (contract["kind"], contract["reason"], contract["queue"], contract["lang"]) == (
        "handoff",
        "erasure_request",
        "privacy",
        "nb",
    )
    said = " ".join(m.get("text") or "" for m in messages)
    assert contract["ticket_id"] in said and "slettet" in said


def test_widget_sends_no_query_string_and_forgets_its_copy(pstack: Stack) -> None:
    with headless_chromium() as browser:
        context = browser.new_context()
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(f"{pstack.bot_url}/demo?lang=en&email=kari.query%40example.no#top")
        page.get_by_role("button", name="Chat with us").click()
        page.locator("#svar-widget[data-state=ready]").wait_for(state="attached")
        page.get_by_label("Type your question").fill("How much does shipping cost?")
        page.keyboard.press("Enter")
        # The answer and its "did this help?" follow-up: each saves the copy again.
        page.locator(".msg.bot").nth(1).wait_for()
        page.wait_for_timeout(500)
        ((key, raw),) = json.loads(page.evaluate("() => JSON.stringify(localStorage)")).items()
        kept = json.loads(raw)
        assert abs(kept["savedAt"] / 1000 - time.time()) < 300
        kept["savedAt"] -= 31 * 86_400_000  # the demo page keeps it 30 days (the default)
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(kept)])
        page.reload()
        page.locator("#svar-widget").wait_for(state="attached")
        assert page.locator(".msg").count() == 0
        left = page.evaluate("k => localStorage.getItem(k)", key)
        assert left is None or json.loads(left).get("log") == []
        context.close()
    pages = [
        (event.get("metadata") or {}).get("page")
        for events in _events_by_sender(pstack.workdir / "tracker.db").values()
        for event in events
        if event.get("event") == "user" and (event.get("metadata") or {}).get("page")
    ]
    assert pages and set(pages) == {f"{pstack.bot_url}/demo"}


def _admin(pstack: Stack, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{pstack.bot_url}/api/privacy/{path}",
        json=body,
        headers={"authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def test_export_then_erase_one_conversation_on_the_real_stores(
    pstack: Stack, conversation: dict[str, Any]
) -> None:
    """Through the admin API, with the real Rasa server's tracker store: everything of the
    first conversation goes; the callback conversation stays exactly as it was."""
    numbers, callback = SENDERS["numbers"], SENDERS["callback"]
    other_before = _admin(pstack, "export", {"sender_id": callback})
    exported = _admin(pstack, "export", {"sender_id": numbers})
    stores = exported["stores"]
    assert len(stores["conversations"][numbers]) > 10
    assert stores["gap_occurrences"] and stores["turns"] and stores["tickets"]
    assert "green tea" in json.dumps(stores["gap_occurrences"])  # a gap, not small talk

    erased = _admin(pstack, "erase", {"sender_id": numbers})["erased"]

    assert erased["conversation_events"] == len(stores["conversations"][numbers])
    bot_db = Path(pstack.database_url.removeprefix("sqlite:///"))
    for path in (bot_db, pstack.workdir / "tracker.db"):
        rows = _rows(path)
        assert not [r for r in rows if numbers in r or "green tea" in r], path
    other_after = _admin(pstack, "export", {"sender_id": callback})
    assert other_after["stores"] == other_before["stores"]
    assert other_after["stores"]["conversations"][callback]


def test_purge_at_a_fixed_clock_on_the_real_stores(pstack: Stack) -> None:
    """`bot privacy purge` 31 days on: every conversation is past its 30 days, tickets
    (unresolved) and gap occurrences (90 days) are not; 91 days on the occurrences go
    and their gaps keep the masked question and counts per week."""
    # A question the KB lacks (general knowledge is small talk and leaves no gap).
    gap = custom_of(pstack.say(new_sender(), "Do you sell green tea? card 4111111111111111"))
    assert gap["kind"] == "no_answer", gap
    tracker_db = pstack.workdir / "tracker.db"
    events = sum(len(e) for e in _events_by_sender(tracker_db).values())
    bot_db = Path(pstack.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(bot_db) as db:
        occurrences = db.execute("SELECT count(*) FROM gap_occurrences").fetchone()[0]
        tickets = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
    assert events and occurrences and tickets

    dry = _purge(pstack, days=31, dry_run=True)
    month = _purge(pstack, days=31)
    assert dry["counts"] == month["counts"] and dry["dry_run"]
    assert month["counts"]["conversation_events"] == events
    assert month["counts"]["gap_occurrences"] == month["counts"]["tickets"] == 0
    assert _events_by_sender(tracker_db) == {}
    quarter = _purge(pstack, days=91)
    assert quarter["counts"]["gap_occurrences"] == occurrences
    with sqlite3.connect(bot_db) as db:
        assert db.execute("SELECT count(*) FROM tickets").fetchone()[0] == tickets
        assert db.execute("SELECT sum(count) FROM gap_weeks").fetchone()[0] == occurrences
        questions = [q for (q,) in db.execute("SELECT question FROM gaps")]
    assert questions and any("[" in q for q in questions)  # masked, and still there


def _purge(pstack: Stack, days: int, dry_run: bool = False) -> dict[str, Any]:
    clock = datetime.now(UTC) + timedelta(days=days)
    env = {
        **os.environ,
        "DATABASE_URL": pstack.database_url,
        "SVAR_TRACKER_DB": str(pstack.workdir / "tracker.db"),
        "BOT_CLOCK": clock.isoformat(),
    }
    command = [str(ROOT / ".venv" / "bin" / "bot"), "--log-level", "warning", "privacy", "purge"]
    done = subprocess.run(
        command + (["--dry-run"] if dry_run else []),
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result
