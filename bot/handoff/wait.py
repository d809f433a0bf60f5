"""How long a customer handed off now will probably wait, from what was measured.

The customer is told a number only when we can stand behind it. "Tickets ahead ×
four minutes" told a Swedish customer "about 1100 minutes": 274 forgotten demo
tickets were still queued, and nobody was at the console. Instead:

* **measured**: the 75th percentile of first-reply times (ticket created → first
  agent reply) in this queue over the last `history_days`; tickets still waiting
  count with the time they have waited so far, so that a queue nobody answers
  does not look fast. Too few in the queue: all queues together; none at all: a
  modest default, said as a range a customer can live with.
* **staffing**: agents who claimed, replied to or resolved a ticket in the last
  `active_minutes` (the console records nothing else about presence). With
  `ahead` tickets queued and `agents` active, the line alone takes about
  ahead / agents × the measured time an agent spends on a ticket.
* **honest when long**: over `long_minutes`, or when someone ahead has already
  waited that long, the customer is told it may take a while and offered a
  callback or an e-mail reply instead of a number.

Out-of-hours tickets are left out of the reply times: their first reply comes
the next morning and says nothing about the wait while the team is in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.messages import message
from bot.storage import Database
from bot.storage.models import Ticket, TicketMessage


@dataclass(frozen=True)
class WaitPolicy:
    """The knobs, with defaults a small team can live with."""

    history_days: float = 7.0
    min_samples: int = 5
    quantile: float = 0.75  # "usually within": three customers in four wait less
    default_minutes: float = 10.0  # no history yet
    handle_minutes: float = 8.0  # an agent's time per ticket, until measured
    active_minutes: float = 30.0
    long_minutes: float = 45.0
    stale_hours: float = 24.0  # a ticket queued longer is forgotten, not a line


@dataclass(frozen=True)
class QueueFacts:
    """What the database says about a queue right now (minutes throughout)."""

    first_replies: tuple[float, ...]  # this queue, answered, in hours
    all_first_replies: tuple[float, ...]  # every queue, for a young queue
    waiting: tuple[float, ...]  # how long each in-hours ticket still queued here has waited
    ahead: int  # tickets queued here, the night's out-of-hours ones too
    handle: tuple[float, ...]  # first reply → resolved, every queue
    agents: int  # active recently


@dataclass(frozen=True)
class WaitEstimate:
    """The estimate, and what it rests on (kept on the ticket for the team lead)."""

    minutes: float
    long: bool
    basis: str

    def as_json(self) -> dict[str, object]:
        """Stored on the ticket; minutes rounded to one decimal."""
        return {"minutes": round(self.minutes, 1), "long": self.long, "basis": self.basis}


def estimate(facts: QueueFacts, policy: WaitPolicy = WaitPolicy()) -> WaitEstimate:
    """The wait for one more ticket in the queue the facts describe."""
    measured, basis = _measured(facts, policy)
    ahead = facts.ahead
    line = _line(ahead, facts, policy)
    minutes = max(measured, line)
    if line > measured:
        basis += f"; {ahead} ahead for {facts.agents} active agent(s): {line:.0f} min"
    oldest = max(facts.waiting, default=0.0)
    long = minutes > policy.long_minutes or oldest >= policy.long_minutes
    if oldest >= policy.long_minutes:
        basis += f"; someone ahead has waited {oldest:.0f} min"
    return WaitEstimate(minutes, long, basis)


# The numbers people say: "about 15 minutes", never "about 17".
STEPS = (10, 15, 20, 30, 45, 60)


def spoken(wait: WaitEstimate, lang: str) -> str:
    """'within a few minutes', 'within about 15 minutes', 'within about half an hour'."""
    if wait.minutes <= 5:
        return message("wait_few", lang)
    step = next((s for s in STEPS if wait.minutes <= s), STEPS[-1])
    if step == 30:
        return message("wait_half_hour", lang)
    if step == 60:
        return message("wait_hour", lang)
    return message("wait_about", lang, minutes=step)


def _measured(facts: QueueFacts, policy: WaitPolicy) -> tuple[float, str]:
    """The queue's own first-reply quantile; else every queue's; else the default.

    Tickets still waiting longer than that quantile join the queue's samples with
    the time waited so far: the tail is at least that long (fresh ones would only
    pull the estimate down, so they stay out).
    """
    for label, replies in (("queue", facts.first_replies), ("all queues", facts.all_first_replies)):
        if len(replies) < policy.min_samples:
            continue
        value = quantile(replies, policy.quantile)
        longer = [w for w in facts.waiting if w > value] if label == "queue" else []
        samples = (*replies, *longer)
        value = quantile(samples, policy.quantile)
        return value, f"p{policy.quantile * 100:.0f} of {len(samples)} first replies ({label})"
    return policy.default_minutes, "no history: default"


def _line(ahead: int, facts: QueueFacts, policy: WaitPolicy) -> float:
    """The time for the tickets ahead to be taken, by the agents who are active.

    Nobody active is counted as one agent about to come back: the measured
    first-reply times already say how long that usually takes.
    """
    measured = len(facts.handle) >= policy.min_samples
    handle = quantile(facts.handle, 0.5) if measured else policy.handle_minutes
    return ahead / max(facts.agents, 1) * handle


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between the sorted values (as numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("quantile of nothing")
    position = q * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def queue_facts(db: Database, queue: str, now: datetime, policy: WaitPolicy) -> QueueFacts:
    """Read the facts for `queue` at `now` (one session, a few small selects)."""
    since = now - timedelta(days=policy.history_days)
    active_since = now - timedelta(minutes=policy.active_minutes)
    stale = now - timedelta(hours=policy.stale_hours)
    with db.session() as session:
        rows = session.execute(
            select(
                Ticket.queue,
                Ticket.created_at,
                Ticket.first_reply_at,
                Ticket.resolved_at,
            ).where(Ticket.created_at >= since, Ticket.out_of_hours.is_(False))
        ).all()
        queued = session.execute(
            select(Ticket.created_at, Ticket.out_of_hours).where(
                Ticket.queue == queue,
                Ticket.status == "queued",
                Ticket.first_reply_at.is_(None),
                Ticket.created_at >= stale,
            )
        ).all()
        agents = _active_agents(session, active_since)
    replied = [(q, _minutes(c, f)) for q, c, f, _ in rows if f is not None]
    return QueueFacts(
        first_replies=tuple(m for q, m in replied if q == queue),
        all_first_replies=tuple(m for _, m in replied),
        waiting=tuple(_minutes(c, now) for c, overnight in queued if not overnight),
        ahead=len(queued),
        handle=tuple(_minutes(f, r) for _, _, f, r in rows if f is not None and r is not None),
        agents=agents,
    )


def _active_agents(session: Session, since: datetime) -> int:
    """Distinct agents who claimed, replied to or resolved a ticket since `since`."""
    repliers = session.scalars(
        select(TicketMessage.author).where(
            TicketMessage.role == "agent",
            TicketMessage.sent_at >= since,
            TicketMessage.author.is_not(None),
        )
    ).all()
    assignees = session.scalars(
        select(Ticket.assignee).where(
            Ticket.assignee.is_not(None),
            or_(Ticket.assigned_at >= since, Ticket.resolved_at >= since),
        )
    ).all()
    return len({name for name in (*repliers, *assignees) if name})


def _minutes(start: datetime, end: datetime) -> float:
    """Minutes between two times; SQLite hands back naive UTC, so both are made aware."""
    return max((_aware(end) - _aware(start)).total_seconds() / 60, 0.0)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
