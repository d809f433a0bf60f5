"""How long each kind of personal data is kept, and when each record's time is up.

One number of days per kind, `BOT_RETAIN_<KIND>_DAYS` in the environment. The
defaults are what a data-protection officer can sign off for customer service:
a chat is support history for a month; a ticket is kept a quarter after it is
resolved (complaints come back, and the agent needs the case); a callback number
only for a week after (the call has happened); the gap list's occurrences and the
analytics' raw rows a quarter (enough for the 8-week reports and the 7-day return
window), after which only anonymous counts remain. Everything is counted from the
record's own last moment: a conversation's last message, a ticket's resolution.

A ticket nobody resolves would otherwise be kept for ever. An unresolved ticket with
no activity (no claim, message or follow-up) for `open_tickets` days, by default the
tickets' quarter plus a quarter's grace, is abandoned: the purge deletes it as it
deletes a resolved one, and logs its id, so that the backlog a team forgot is not
the one place customers' words outlive every limit. The limit is never shorter than
the resolved tickets' own: a setting meant for closed cases cannot empty the queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from bot.errors import SettingsError


@dataclass(frozen=True)
class Retention:
    """Days each kind of data is kept (see the README's "Data we keep")."""

    conversations: float = 30  # Rasa's tracker store: from the conversation's last message
    tickets: float = 90  # tickets, their transcripts and messages: from resolution
    open_tickets: float = 180  # an unresolved ticket: from its last activity (abandoned)
    callback: float = 7  # a ticket's callback phone/e-mail: from resolution
    gap_occurrences: float = 90  # who asked what the KB could not answer: from the question
    turns: float = 90  # the KB turn log (analytics' raw rows)
    feedback: float = 90  # helpful / not helpful verdicts
    contacts: float = 30  # repeat-contact memory (customer id, topic)
    webhook_outbox: float = 7  # ticket payloads queued for the helpdesk webhook
    widget: float = 30  # the widget's copy of the conversation in the browser
    audit: float = 365  # the staff audit log (staff names and addresses): from the action
    purge_every_hours: float = 6  # the in-service purge; 0 switches it off

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Retention:
        """Read the limits from `BOT_RETAIN_<KIND>_DAYS` and `BOT_PURGE_EVERY_HOURS`; unset keeps
        the default. A negative, non-numeric or inconsistent value raises SettingsError at start-up.
        """
        values: dict[str, float] = {}
        for f in fields(cls):
            name = "BOT_PURGE_EVERY_HOURS" if f.name == "purge_every_hours" else env_name(f.name)
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = float(raw)
            except ValueError as exc:
                raise SettingsError(name, raw, "not a number") from exc
            if values[f.name] < 0:
                raise SettingsError(name, raw, "must not be negative")
        retention = cls(**values)
        if retention.widget > retention.conversations:
            raise SettingsError(
                env_name("widget"), str(retention.widget), "longer than the conversations' limit"
            )
        if retention.open_tickets < retention.tickets:
            raise SettingsError(
                env_name("open_tickets"),
                str(retention.open_tickets),
                "shorter than the resolved tickets' limit",
            )
        if retention.callback > retention.tickets:
            raise SettingsError(
                env_name("callback"), str(retention.callback), "longer than the tickets' limit"
            )
        return retention

    def cutoff(self, kind: str, now: datetime) -> datetime:
        """Records of `kind` whose moment is before this are past their limit."""
        days: float = getattr(self, kind)
        return now - timedelta(days=days)

    def as_json(self) -> dict[str, float]:
        """The limits by field name, for the privacy status (a DPO, a health check)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def env_name(kind: str) -> str:
    """The environment variable holding the retention limit of `kind`, in days."""
    return f"BOT_RETAIN_{kind.upper()}_DAYS"
