"""No customer words and no raw sender ids in log lines: every logging call is read, and
the safety-net filter masks what a message still carries."""

from __future__ import annotations

import ast
import io
import logging
from pathlib import Path

import pytest

from bot.privacy.logs import MaskingFilter
from svar_privacy import log_id

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "actions", "svar_rasa", "svar_langid", "svar_privacy")
LEVELS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})
# Names that hold a sender id or a customer's words.
PERSONAL = ("sender", "recipient", "question", "text", "body", "payload", "phone", "email")


def _logging_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LEVELS
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("logger", "logging", "log")
                ):
                    calls.append((str(path.relative_to(ROOT)), node.lineno, node))
    return calls


def _raw_personal(argument: ast.expr) -> bool:
    """The argument names personal data outside a `log_id(...)` or a type name."""
    if isinstance(argument, ast.Call) and ast.unparse(argument.func) in ("log_id", "type", "len"):
        return False
    if isinstance(argument, ast.Attribute) and argument.attr == "__name__":
        return False
    return any(
        word in ast.unparse(node).lower()
        for node in ast.walk(argument)
        if isinstance(node, ast.Name | ast.Attribute)
        for word in PERSONAL
    )


def test_no_logging_call_passes_a_sender_id_or_customer_text() -> None:
    calls = _logging_calls()
    assert len(calls) > 50  # the scan sees the code base
    offending = [
        f"{path}:{line}: {ast.unparse(call)[:120]}"
        for path, line, call in calls
        if any(_raw_personal(a) for a in call.args[1:])
    ]
    assert offending == []


def test_log_id_is_stable_and_not_the_id() -> None:
    sender = "4791234567"
    assert log_id(sender) == log_id(sender) != log_id("4791234568")
    assert sender not in log_id(sender) and log_id(sender).startswith("s:")
    assert log_id(None) == "-"


@pytest.mark.parametrize(
    ("message", "args"),
    [("customer wrote fnr %s", ("150187 49391",)), ("card 4111 1111 1111 1111 refused", ())],
)
def test_filter_masks_what_slips_through(message: str, args: tuple[str, ...]) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tests.privacy.slip")
    logger.addHandler(handler)
    try:
        logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue()
    assert "49391" not in line and "1111 1111" not in line
    assert "[fødselsnummer]" in line or "[card]" in line


def test_filter_masks_an_exceptions_text() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tests.privacy.exception")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad input: mail kari@example.no")
        except ValueError:
            logger.exception("could not handle a message")
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue()
    assert "ValueError" in line and "[email]" in line and "kari@" not in line
