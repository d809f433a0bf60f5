"""Customers' words are masked again on their way into the database, whatever the path.

The Rasa server masks every message where it arrives (svar_rasa/channels/masking.py),
so the text the actions get is already masked. This is the bot service's own
guarantee for text that reaches it another way (a direct call to the action
endpoint, a Rasa without the patch, a future feature): before any flush, the
columns that hold a customer's words are masked. Agents' and the bot's own text is
left as written, and so is a ticket's `details["callback"]`, the phone number or
e-mail address the customer gave to be called back (its own field, its own retention).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.gaps.models import KbTurn
from bot.storage.models import Feedback, Gap, GapOccurrence, Ticket, TicketMessage
from svar_privacy import mask_text

# Columns holding a customer's words, per model.
CUSTOMER_TEXT: dict[type, tuple[str, ...]] = {
    Gap: ("question", "normalized"),
    GapOccurrence: ("question",),
    Feedback: ("question",),
    KbTurn: ("question",),
    Ticket: ("summary",),
}
# Purpose-given contact details, kept as the customer wrote them.
KEPT_DETAILS = frozenset({"callback"})


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "before_flush", _mask_before_flush):
        event.listen(Session, "before_flush", _mask_before_flush)


def _mask_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        mask_object(obj)


def mask_object(obj: Any) -> None:
    """Mask the customer text an ORM object holds, in place."""
    for column in CUSTOMER_TEXT.get(type(obj), ()):
        value = getattr(obj, column, None)
        if isinstance(value, str):
            masked = mask_text(value)
            if masked != value:
                setattr(obj, column, masked)
    if isinstance(obj, TicketMessage) and obj.role == "customer" and isinstance(obj.text, str):
        masked = mask_text(obj.text)
        if masked != obj.text:
            obj.text = masked
    if isinstance(obj, Ticket):
        _mask_ticket_json(obj)


def _mask_ticket_json(ticket: Ticket) -> None:
    evidence = ticket.evidence
    if isinstance(evidence, list):
        masked_evidence = [mask_text(e) if isinstance(e, str) else e for e in evidence]
        if masked_evidence != evidence:
            ticket.evidence = masked_evidence
    details = ticket.details
    if isinstance(details, dict):
        masked_details = {k: v if k in KEPT_DETAILS else _mask_json(v) for k, v in details.items()}
        if masked_details != details:
            ticket.details = masked_details


def _mask_json(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_json(v) for k, v in value.items()}
    return value
