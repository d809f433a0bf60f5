"""A safety net under the log lines: personal data that reaches a message is masked.

The code logs ids, never customers' words (STYLE.md), and sender ids only as
`log_id` hashes; this filter catches what slips through anyway (a library's
message, an exception's text) by running the same masking as the stores on
every formatted message. It costs about a tenth of a millisecond per line.
"""

from __future__ import annotations

import logging

from svar_privacy import mask_text

# Libraries whose INFO lines carry request URLs: httpx's hold conversation ids and
# Rasa's `?token=` (bot/handoff/rasa_client.py).
QUIET = ("httpx", "httpcore")


_FORMATTER = logging.Formatter()


class MaskingFilter(logging.Filter):
    """Replace a record's message by its masked text when it holds personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Never drops a record; a message that cannot be formatted passes as it is."""
        try:
            text = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_text(text)
        if masked != text:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:  # an exception's message may quote input
            record.exc_text = mask_text(_FORMATTER.formatException(record.exc_info))
        return True


def install() -> None:
    """On every handler of the root logger (idempotent); quiet the URL-logging libraries."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
