"""Customers' words are masked again on their way into the database, whatever the path.

The Rasa server masks every message where it arrives (svar_rasa/channels/masking.py),
so the text the actions get is already masked. This is the bot service's own
guarantee for text that reaches it another way (a direct call to the action
endpoint, a Rasa without the patch, a future feature): before any flush, the
columns that hold a customer's words are masked: those marked `info={CUSTOMER_TEXT: True}`
where their table is declared, so that a feature's own tables (the gap list's turn log) are
covered without this module knowing the feature. Agents' and the bot's own text is
left as written, and so is a ticket's `details["callback"]`, the phone number or
e-mail address the customer gave to be called back (its own field, its own retention).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper, Session

from bot.storage.models import CUSTOMER_TEXT, Ticket, TicketMessage
from svar_privacy import mask_text

_columns: dict[type, tuple[str, ...]] = {}
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
    for column in customer_columns(type(obj)):
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


def customer_columns(model: type) -> tuple[str, ...]:
    """The attributes of `model` holding a customer's words: its columns marked
    `info={CUSTOMER_TEXT: True}` where the table is declared (a feature's tables too)."""
    if model not in _columns:  # read once per model: the hook runs on every flush
        mapper: Mapper[Any] | None = inspect(model, raiseerr=False)
        _columns[model] = tuple(
            attr.key
            for attr in (mapper.column_attrs if mapper is not None else ())
            if any(column.info.get(CUSTOMER_TEXT) for column in attr.columns)
        )
    return _columns[model]


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
