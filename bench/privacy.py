"""What masking adds to a turn (target: at most 1 ms p95), measured in this process.

A customer's message is masked twice on its way: once where it arrives, inside Rasa
(`svar_rasa/channels/masking.py`), and again by the bot service's flush hook over
the rows the turn writes (`bot/storage/masking.py`). The worst turn for the hook is
a no-answer turn: a new gap and its occurrence, so the same words in three columns.
Both are timed per message, on customer-length messages without personal data and
on the labelled set's messages with it, and the hook as a whole: the same rows
flushed to SQLite with the hook and without it, interleaved so that the machine's
noise falls on both alike. The machine is shared: read the ratios, not the digits.

    .venv/bin/python -m bench.privacy
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.messages import messages
from bot.privacy.evaluate import load_set
from bot.settings import ROOT
from bot.storage import Database
from bot.storage import masking as storage_masking
from bot.storage.models import Gap, GapOccurrence
from svar_privacy import mask, mask_text

ROUNDS = 3


def _p(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100)[q - 1] if len(times) > 1 else times[0]


def _timed(texts: list[str], step: Callable[[str], object]) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            step(text)
            times.append((time.perf_counter() - started) * 1000)
    return times


def _turn(text: str) -> None:
    """Rasa's mask, then the hook's three columns of a no-answer turn (masked text in)."""
    masked = mask(text).text
    for _ in range(3):
        mask_text(masked)


def _flush_times(db: Database, texts: list[str], hooked: bool) -> list[float]:
    installed = event.contains(Session, "before_flush", storage_masking._mask_before_flush)
    if hooked and not installed:
        storage_masking.install()
    if not hooked and installed:
        event.remove(Session, "before_flush", storage_masking._mask_before_flush)
    times = []
    with db.session() as session:
        for text in texts:
            gap = Gap(kind="no_answer", question=text, normalized=text[:500].casefold())
            gap.occurrences = [GapOccurrence(question=text, sender_id=uuid.uuid4().hex)]
            started = time.perf_counter()
            session.add(gap)
            session.flush()
            times.append((time.perf_counter() - started) * 1000)
    storage_masking.install()
    return times


def main() -> None:
    plain = messages(30, 200) + messages(80, 100)
    with_data = [m.text for m in load_set(ROOT / "data" / "eval" / "pii.yml")]
    print("masking per message, ms (p50 / p95 / max)")
    for name, texts, step in (
        ("Rasa side, 30-80 words, no personal data", plain, mask),
        ("Rasa side, messages with personal data", with_data, mask),
        ("whole turn (Rasa + the hook's 3 columns), no data", plain, _turn),
        ("whole turn, messages with personal data", with_data, _turn),
    ):
        times = _timed(texts, step)
        print(f"  {name:52} {_p(times, 50):6.3f} / {_p(times, 95):6.3f} / {max(times):6.3f}")
    db = Database("sqlite://")
    db.migrate()
    sample = (with_data + plain)[:400]
    hooked: list[float] = []
    bare: list[float] = []
    for _ in range(ROUNDS):  # interleaved: the machine's noise falls on both
        hooked += _flush_times(db, sample, hooked=True)
        bare += _flush_times(db, sample, hooked=False)
    print("flush of a new gap and its occurrence, ms (p50 / p95)")
    print(f"  {'with the masking hook':52} {_p(hooked, 50):6.3f} / {_p(hooked, 95):6.3f}")
    print(f"  {'without it':52} {_p(bare, 50):6.3f} / {_p(bare, 95):6.3f}")
    print(f"  {'difference at p95':52} {_p(hooked, 95) - _p(bare, 95):6.3f}")
    db.dispose()


if __name__ == "__main__":
    main()
