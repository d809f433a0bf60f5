"""Labelled evaluation questions (data/eval/questions.yml, data/eval/chat.yml, ...).

`expected` is a topic id, a list of ids (a message that asks two things:
answering or offering either is right), or null for a message the bot should
decline; `near: true` marks an out-of-scope message close to the KB's domain,
the hard kind of gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import BotError

LENGTH_BUCKETS = ((0, 8, "<=8"), (9, 20, "9-20"), (21, 40, "21-40"), (41, 10**9, ">40"))


@dataclass(frozen=True)
class EvalQuestion:
    """One labelled question of the KB evaluation set."""

    text: str
    lang: str
    expected: str | None  # the first expected id; None: out of scope, the bot should decline
    also: tuple[str, ...] = ()  # further ids that are right too (two questions in one)
    near: bool = False  # out of scope, but near the KB's domain

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every entry whose answer (or button) counts as right."""
        return (self.expected, *self.also) if self.expected else ()

    @property
    def words(self) -> int:
        """Length in whitespace-separated words, for the length buckets."""
        return len(self.text.split())

    @property
    def length_bucket(self) -> str:
        """The LENGTH_BUCKETS label the question's length falls in."""
        return next(name for low, high, name in LENGTH_BUCKETS if low <= self.words <= high)


class EvalDataError(BotError):
    """The evaluation file cannot be read or a question in it is malformed."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read the evaluation set; an unreadable file or a malformed question raises EvalDataError."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvalDataError(path, f"cannot read: {exc}") from exc
    items = document.get("questions") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise EvalDataError(path, "needs a 'questions' list")
    return [_question(path, position, item) for position, item in enumerate(items, start=1)]


def _question(path: Path, position: int, item: object) -> EvalQuestion:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise EvalDataError(path, f"question #{position} needs a 'text'")
    expected = item.get("expected")
    ids = [expected] if isinstance(expected, str) else expected or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise EvalDataError(path, f"question #{position}: 'expected' must be an id, ids or null")
    return EvalQuestion(
        item["text"],
        str(item.get("lang", "")),
        ids[0] if ids else None,
        tuple(ids[1:]),
        bool(item.get("near", False)),
    )
