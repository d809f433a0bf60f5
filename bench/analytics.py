"""How long the analytics API and page take on a year of a busy shop, on PostgreSQL.

Generates, into a PostgreSQL database of its own (`svar_bench_analytics_<random>`,
created here and dropped at the end unless --keep), a year of turns for a shop
with a few thousand conversations a day: 1,000,000 KB turns, 50,000 handoff
tickets, verdicts, gaps and their occurrences, and returning customers known
across channels. Then it times, through the real Sanic app with an editor token:
- the first refresh of the conversation rollup over the whole year (once, the
  cost of upgrading a database that already holds a year of turns);
- `GET /api/analytics/weekly?weeks=52` and `?weeks=8` and the analytics page
  when nothing was logged since the last call (median of several calls);
- the same calls right after a new turn, whose sender's conversations the
  rollup recomputes first.
With --before it also times the previous implementation (read from git) beside
the new one on the issue's small database (2,668 turns, 581 tickets).

    make bench-analytics   # or: .venv/bin/python -m bench.analytics --turns 200000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import types
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import create_engine, text

from bot.settings import LANGUAGES, Settings
from bot.settings.staff import parse_api_tokens
from bot.storage import Database

ADMIN_URL = os.environ.get(
    "SVAR_BENCH_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
TOKEN = "bench-editor-token-0123456789abcdef"
CHANNELS = (("socketio", 0.6), ("whatsapp", 0.25), ("facebook", 0.15))
OUTCOMES = (
    ("answer", 0.70),
    ("no_answer", 0.12),
    ("clarify_chosen", 0.08),
    ("clarify_abandoned", 0.05),
    ("notice", 0.05),
)
REASONS = (
    "requested",
    "frustration",
    "complex",
    "repeated_failure",
    "complaint",
    "sensitive_topic",
)
QUEUES = ("general", "billing", "delivery", "returns")
FAQS = [f"faq_{i:03d}" for i in range(200)]
OLD_COMMIT = "bee6623"  # the last commit with the row-scanning implementation


def pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


class Shop:
    """Rows of a year of a busy shop, as CSV buffers ready for PostgreSQL's COPY."""

    def __init__(self, turns: int, tickets: int, days: int, end: datetime, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.target_turns, self.days, self.end = turns, days, end
        self.ticket_share = tickets / (turns / 3.0)
        self.buffers = {
            n: io.StringIO() for n in ("turns", "tickets", "feedback", "occ", "contacts")
        }
        self.writers = {n: csv.writer(b) for n, b in self.buffers.items()}
        self.customers = [(f"C{i:06d}", f"wa:{i:06d}", f"web:{i:06d}") for i in range(20000)]
        self.counts = dict.fromkeys(self.buffers, 0)
        self.gaps = 2000

    def generate(self) -> None:
        while self.counts["turns"] < self.target_turns:
            self._conversation()

    def _conversation(self) -> None:
        rng = self.rng
        start = self.end - timedelta(seconds=rng.uniform(60, self.days * 86400))
        customer = None
        channel = pick(rng, CHANNELS)
        if rng.random() < 0.25:  # a returning customer, known across channels
            customer, wa, web = rng.choice(self.customers)
            sender = wa if channel == "whatsapp" else web
        else:
            sender = f"{channel}:{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}"
        lang = rng.choice(LANGUAGES)
        at, faq = start, rng.choice(FAQS)
        for _ in range(rng.choice((1, 2, 3, 3, 4, 5))):
            outcome = pick(rng, OUTCOMES)
            faq = faq if rng.random() < 0.6 else rng.choice(FAQS)
            answered = outcome in ("answer", "notice")
            self._write("turns", [sender, channel, lang, outcome, faq if answered else "", at])
            if outcome == "no_answer":
                gap = rng.randrange(1, self.gaps + 1)
                self._write("occ", [gap, "where is x?", lang, sender, channel, "[]", at])
            if answered and rng.random() < 0.12:
                self._write("feedback", [sender, channel, faq, lang, rng.random() < 0.7, at])
            at += timedelta(seconds=rng.uniform(20, 300))
        if customer:
            self._write("contacts", [customer, faq, sender, at])
        if rng.random() < self.ticket_share:
            self._ticket(sender, channel, lang, customer, faq, at + timedelta(seconds=30))

    def _ticket(
        self, sender: str, channel: str, lang: str, customer: str | None, faq: str, at: datetime
    ) -> None:
        resolved = at + timedelta(hours=self.rng.uniform(0.1, 30))
        self._write(
            "tickets",
            [
                "B" + uuid.UUID(int=self.rng.getrandbits(128)).hex[:15].upper(),
                sender,
                channel,
                lang,
                customer or "",
                self.rng.choice(REASONS),
                "[]",
                self.rng.choice(QUEUES),
                "normal",
                "resolved" if resolved < self.end else "assigned",
                "summary",
                json.dumps([faq]),
                "[]",
                "{}",
                False,
                at,
                resolved if resolved < self.end else "",
            ],
        )

    def _write(self, name: str, row: list[Any]) -> None:
        self.writers[name].writerow(row)
        self.counts[name] += 1


COPY = {
    "turns": "kb_turns (sender_id, channel, lang, outcome, faq_id, created_at)",
    "tickets": "tickets (id, sender_id, channel, lang, customer_id, reason, evidence, queue,"
    " priority, status, summary, topics, answers, details, out_of_hours, created_at, resolved_at)",
    "feedback": "feedback (sender_id, channel, faq_id, lang, helpful, created_at)",
    "occ": "gap_occurrences (gap_id, question, lang, sender_id, channel, candidates, created_at)",
    "contacts": "contacts (customer_id, topic, sender_id, created_at)",
}


def load(db: Database, shop: Shop) -> None:
    """COPY the generated rows in (with gaps for the occurrences to point at)."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "INSERT INTO gaps (kind, question, normalized, lang, status, occurrence_count,"
            " created_at, last_seen_at, handoff_count)"
            " SELECT 'no_answer', 'gap ' || g, 'gap ' || g, 'en', 'open', 0, now(), now(), 0"
            " FROM generate_series(1, %s) AS g",
            (shop.gaps,),
        )
        for name, target in COPY.items():
            buffer = shop.buffers[name]
            buffer.seek(0)
            cursor.copy_expert(f"COPY {target} FROM STDIN WITH (FORMAT csv, NULL '')", buffer)
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


@contextmanager
def bench_database(keep: bool) -> Iterator[str]:
    """A database of the bench's own; dropped afterwards unless kept (never anyone else's)."""
    name = f"svar_bench_analytics_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(db: Database) -> Any:
    from sanic import Sanic

    from bot.web import create_app

    Sanic.test_mode = True
    base = Settings.from_env({})
    settings = replace(
        base,
        database_url=db.url,
        api_tokens=parse_api_tokens(f"bench:{TOKEN}:editor"),
        retention=replace(base.retention, purge_every_hours=0),  # no purge during the timings
    )
    return create_app(settings, SimpleNamespace(db=db, settings=settings))


def timed_get(app: Any, path: str) -> float:
    async def call() -> float:
        began = time.perf_counter()
        _, response = await app.asgi_client.get(path, headers={"authorization": f"Bearer {TOKEN}"})
        elapsed = time.perf_counter() - began
        assert response.status == 200, (path, response.status, response.text[:200])
        return elapsed

    return asyncio.run(call())


def median_of(runs: int, action: Callable[[], float]) -> str:
    times = [action() for _ in range(runs)]
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f})"


def add_turn(db: Database, now: datetime) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO kb_turns (sender_id, outcome, created_at)"
                " VALUES ('bench', 'answer', :t)"
            ),
            {"t": now},
        )


def run_year(turns: int, tickets: int, runs: int, keep: bool) -> None:
    from bot.gaps.rollup import refresh

    end = datetime.now(UTC)
    began = time.perf_counter()
    shop = Shop(turns, tickets, 365, end)
    shop.generate()
    print(f"generated {shop.counts} in {time.perf_counter() - began:.1f} s")
    with bench_database(keep) as url:
        db = Database(url)
        db.migrate()
        began = time.perf_counter()
        load(db, shop)
        print(f"loaded into PostgreSQL in {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        written = refresh(db, datetime.now(UTC))
        took = time.perf_counter() - began
        print(f"first rollup of the year: {written} conversations in {took:.1f} s")
        with db.engine.begin() as conn:  # what autovacuum does soon after a bulk insert
            conn.execute(text("ANALYZE conversation_facts"))
        app = make_app(db)
        for label, path in [
            ("API, 52 weeks", "/api/analytics/weekly?weeks=52"),
            ("API, 8 weeks", "/api/analytics/weekly?weeks=8"),
            ("page, 52 weeks", "/editor/analytics?weeks=52"),
            ("page, 8 weeks", "/editor/analytics?weeks=8"),
        ]:
            timed_get(app, path)  # warm-up: the app's first request
            print(
                f"{label:<16} nothing new:      {median_of(runs, lambda p=path: timed_get(app, p))}"
            )

            def after_turn(p: str = path) -> float:
                add_turn(db, datetime.now(UTC))
                return timed_get(app, p)

            print(f"{label:<16} after a new turn: {median_of(runs, after_turn)}")
        db.dispose()


def old_weekly() -> Callable[..., Any] | None:
    """The previous implementation, read from git (None when the history is not there)."""
    try:
        source = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:bot/gaps/analytics.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("old_analytics")
    sys.modules["old_analytics"] = module  # dataclasses look their module up
    exec(compile(source, "old_analytics.py", "exec"), module.__dict__)
    return module.__dict__["weekly_analytics"]  # type: ignore[no-any-return]


def run_before(turns: int, tickets: int) -> None:
    """Old and new side by side on the issue's small database, same process, same data."""
    from bot.gaps.analytics import weekly_analytics

    old = old_weekly()
    if old is None:
        print("before: git history not available")
        return
    end = datetime.now(UTC)
    shop = Shop(turns, tickets, 14, end)
    shop.generate()
    with bench_database(False) as url:
        db = Database(url)
        db.migrate()
        load(db, shop)
        for name, fn in (("before (row scan)", old), ("after (rollup)", weekly_analytics)):
            began = time.perf_counter()
            fn(db, 2, end)
            took = time.perf_counter() - began
            print(f"{name:<18} weeks=2 on {shop.counts['turns']} turns: {took:.2f} s")
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--before", action="store_true", help="time the old code on a small DB")
    args = parser.parse_args()
    if args.before:
        run_before(2668, 581)
    run_year(args.turns, args.tickets, args.runs, args.keep)


if __name__ == "__main__":
    main()
