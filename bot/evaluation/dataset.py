"""Labelled evaluation questions (data/eval/questions.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import BotError


@dataclass(frozen=True)
class EvalQuestion:
    text: str
    lang: str
    expected: str | None  # None: out of scope, the bot should decline


class EvalDataError(BotError):
    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


def load_questions(path: Path) -> list[EvalQuestion]:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvalDataError(path, f"cannot read: {exc}") from exc
    items = document.get("questions") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise EvalDataError(path, "needs a 'questions' list")
    questions = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise EvalDataError(path, f"question #{position} needs a 'text'")
        questions.append(
            EvalQuestion(item["text"], str(item.get("lang", "")), item.get("expected"))
        )
    return questions
