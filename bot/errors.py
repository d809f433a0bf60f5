"""The root of every error Svar raises on purpose.

Each feature derives its own errors from `BotError` and gives them fields, so
that the web layer and the actions can answer politely and log ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


class BotError(Exception):
    """An expected failure with a message fit for an operator.

    Each subclass carries what the web layer answers (bot/web/contract.py, the one error
    handler): `status`, the HTTP status, and `public`, a fixed sentence for the caller.
    The message (`str(exc)`) may hold ids and values and goes to the log only. The
    default is a refused request (400); a failure on our side declares its 5xx.
    """

    http_status: ClassVar[int] = 400
    public: ClassVar[str] = "the request was refused"

    def public_message(self) -> str:
        """What the caller may read: never the request's own words."""
        return self.public


@dataclass(frozen=True)
class KBProblem:
    """One thing wrong with one knowledge-base file or entry."""

    path: Path
    entry: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.path}" + (f", entry {self.entry}" if self.entry else "")
        return f"{where}: {self.problem}"


class KBValidationError(BotError):
    """The knowledge base is broken; nothing was built from it."""

    http_status = 500
    public = "the knowledge base is broken"

    def __init__(self, problems: list[KBProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"knowledge base has {len(problems)} problem(s):\n{lines}")


class KBIndexError(BotError):
    """The built index is missing or does not fit the running configuration."""

    http_status = 503
    public = "the knowledge-base index is not available"

    def __init__(self, index_dir: Path, reason: str) -> None:
        self.index_dir = index_dir
        self.reason = reason
        super().__init__(f"index at {index_dir}: {reason}")


class EncoderError(BotError):
    """The embedding model could not be loaded."""

    http_status = 503
    public = "the embedding model is not available"

    def __init__(self, model: str, reason: str) -> None:
        self.model = model
        self.reason = reason
        super().__init__(f"embedding model {model!r}: {reason}")


class StorageError(BotError):
    """The database could not be reached or written."""

    http_status = 503
    public = "storage unavailable"


class SettingsError(BotError):
    """An environment variable holds a value Svar cannot use."""

    http_status = 500
    public = "the service is misconfigured"

    def __init__(self, name: str, value: str, reason: str) -> None:
        self.name = name
        super().__init__(f"{name}={value!r}: {reason}")
