"""The bot service alone, as a real server, for the schema-driven fuzzing (test_schema_fuzz.py).

`python -m tests.security.staff_service WORKDIR PORT` serves the real app (`create_app`, Sanic's
own server, as `bot serve` runs it) on 127.0.0.1:PORT over its own SQLite database and KB copy in
WORKDIR, so that what the fuzzer changes (tickets resolved, gaps answered, entries written) never
reaches another test. Differences from `bot serve`, each to keep it quick and self-contained: the
index uses the tests' hashing encoder (no model to load), Rasa's HTTP API is a local stand-in
that accepts every call, and the database is seeded with a ticket in each state, a gap with a
resolved ticket (so drafts exist) and a notice, whose ids are printed as one JSON line.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sanic import Sanic

from bot.gaps import GapRecord, record_gap
from bot.handoff import tickets
from bot.handoff.conversation import Turn
from bot.kb.format import load_kb
from bot.kb.index import build_index
from bot.notices.store import NoticeDraft, create_notice
from bot.runtime import LiveIndex, Runtime
from bot.settings import Settings
from bot.settings.staff import parse_api_tokens
from bot.storage import Database
from bot.web import create_app
from tests.conftest import FIXTURE_KB
from tests.helpers import HashingEncoder

TOKENS = {
    "agent": "fuzz-agent-token-0123456789",
    "editor": "fuzz-editor-token-012345678",
    "admin": "fuzz-admin-token-0123456789",
}
ACTION_TOKEN = "fuzz-action-token-0123456789"
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday, open in every queue


class FakeRasa(BaseHTTPRequestHandler):
    """Rasa's HTTP API as the handoff API uses it: an empty tracker, every event accepted."""

    def do_GET(self) -> None:
        self._answer({"events": []})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer({})

    def _answer(self, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def fake_rasa() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def settings_for(workdir: Path, port: int, rasa_url: str) -> Settings:
    faq_dir, index_dir = workdir / "faq", workdir / "index"
    shutil.copytree(FIXTURE_KB, faq_dir)
    build_index(load_kb(faq_dir), HashingEncoder(), index_dir)
    base = Settings.from_env(
        {
            "BOT_CLOCK": NOW.isoformat(),
            "BOT_INSECURE_COOKIES": "1",  # plain http on loopback
            "BOT_CONSOLE_USERS": "fuzz-staff:fuzz-staff-password:agent+editor+admin",
        }
    )
    return replace(
        base,
        host="127.0.0.1",
        port=port,
        rasa_url=rasa_url,
        faq_dir=faq_dir,
        index_dir=index_dir,
        database_url=f"sqlite:///{workdir / 'svar.db'}",
        tracker_url=f"sqlite:///{workdir / 'tracker.db'}",
        api_tokens=parse_api_tokens(
            ";".join(f"fuzz-{role}:{token}:{role}" for role, token in TOKENS.items())
        ),
        action_token=ACTION_TOKEN,
        retention=replace(base.retention, purge_every_hours=0),
    )


def new_ticket(db: Database, sender: str, reason: str, text: str, at: datetime = NOW) -> str:
    new = tickets.NewTicket(
        sender_id=sender,
        channel="socketio",
        lang="en",
        customer_id=None,
        tier=None,
        reason=reason,
        evidence=[],
        queue="general",
        priority="normal",
        summary=text,
        topics=[],
        answers=[],
        transcript=[Turn("customer", text, at)],
    )
    ticket_id: str = tickets.open_ticket(db, new, at)["id"]
    return ticket_id


def seed(db: Database) -> dict[str, list[Any]]:
    """A ticket queued, one assigned, a resolved complaint; a gap whose ticket was answered."""
    queued = new_ticket(db, "fuzz-s1", "requested", "I want to talk to a person")
    assigned = new_ticket(db, "fuzz-s2", "requested", "Can someone call me?")
    tickets.claim(db, assigned, "fuzz-staff", NOW)
    # The gap is recorded now (its own clock), and its ticket opened just after: a draft.
    gap_id = record_gap(
        db, GapRecord("no_answer", "Can I bring my dog to the shop?", "fuzz-s3", "en")
    )
    now = datetime.now(UTC)
    complaint = new_ticket(db, "fuzz-s3", "complaint", "Can I bring my dog?", now)
    tickets.add_message(db, complaint, "agent", "Dogs on a leash are welcome. Kari", now, "kari")
    tickets.resolve(db, complaint, "kari", now, 3)
    notice_id = create_notice(
        db,
        NoticeDraft(
            text="The shop is closed today.",
            ends_at=datetime.now(UTC) + timedelta(days=2),
            keywords=("closed",),
            created_by="fuzz-staff",
        ),
    )
    return {
        "ticket_id": [queued, assigned, complaint],
        "gap_id": [gap_id],
        "notice_id": [notice_id],
    }


def main(workdir: Path, port: int) -> None:
    settings = settings_for(workdir, port, fake_rasa())
    db = Database(settings.database_url)
    db.migrate()
    print(json.dumps(seed(db)), flush=True)
    runtime = Runtime(settings, db, LiveIndex(settings, HashingEncoder()))
    app = create_app(settings, runtime)
    Sanic.test_mode = False
    app.run(host="127.0.0.1", port=port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
