"""What a conversation is and how it ended: the published resolution definitions, as code.

A conversation is one sender's KB turns with no pause of `NEW_VISIT` or longer;
a ticket opened within `MORE_HELP` after its last turn belongs to it, and so does
a verdict on an answer. Only turns that asked the KB something count as questions:
greetings, thanks and small talk never reach the turn log, so a conversation of
greetings only is not in any denominator (Intercom excludes them too).

Per conversation with at least one question:
- confirmed resolution (Intercom): the bot answered, the customer's last verdict
  said the answer helped, and they did not ask for more help;
- assumed resolution (Intercom): the bot's last reply was an answer, no verdict
  said it helped, and the customer left without asking for more help; judged
  only once `MORE_HELP` (24 h) has passed since the last turn;
- asking for more help: a handoff ticket, a "did not help" as the last verdict,
  or a new conversation on the same topic within `MORE_HELP`;
- re-contact (Chatwoot's outcome metrics): the same customer (their customer id
  where a channel proved it, so across channels; otherwise the sender) starts
  another conversation or ticket on the same topic within `RETURN_WINDOW` (7 days)
  after this one ended; judged once the 7 days have passed;
- 7-day durable resolution: resolved (confirmed or assumed), no re-contact and no
  handoff ticket of the same customer within the 7 days (a problem that came back
  to an agent, a reopened case, was not resolved);
- deflection (Svar's older figure): answered, no ticket, no re-contact.
A topic is a KB entry id: the entries answered, plus the ticket's topics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

NEW_VISIT = timedelta(minutes=30)
MORE_HELP = timedelta(hours=24)
RETURN_WINDOW = timedelta(days=7)
# After this, nothing can change a conversation's facts any more.
SETTLE = RETURN_WINDOW + MORE_HELP
ANSWERED = frozenset({"answer", "notice"})
QUESTIONS = frozenset(
    {"answer", "notice", "clarify", "clarify_chosen", "clarify_abandoned", "no_answer"}
)


@dataclass(frozen=True)
class TurnRow:
    """A KB turn from the turn log, as `sessionize` reads it."""

    sender_id: str
    at: datetime
    outcome: str
    faq_id: str | None = None
    lang: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class VerdictRow:
    """A customer's "did this help?" answer, as `sessionize` reads it."""

    sender_id: str
    at: datetime
    helpful: bool


@dataclass(frozen=True)
class TicketRow:
    """A handoff ticket, as `sessionize` reads it; `topics` are the KB entries it was about."""

    sender_id: str
    at: datetime
    reason: str
    lang: str | None = None
    channel: str | None = None
    topics: tuple[str, ...] = ()


@dataclass
class Conversation:
    """One sender's visit built by `sessionize`; `customer` is the key re-contact is judged by (the
    proven customer id, else the sender).
    """

    sender_id: str
    customer: str
    started_at: datetime
    ended_at: datetime
    lang: str | None
    channel: str | None
    turns: list[TurnRow] = field(default_factory=list)
    verdicts: list[VerdictRow] = field(default_factory=list)
    ticket: TicketRow | None = None

    @property
    def questions(self) -> int:
        """Turns that asked the KB something: the denominator of every rate."""
        return sum(t.outcome in QUESTIONS for t in self.turns)

    @property
    def answers(self) -> int:
        """Turns answered from the KB or by a notice."""
        return sum(t.outcome in ANSWERED for t in self.turns)

    @property
    def topics(self) -> set[str]:
        """KB entries answered, plus the ticket's topics; re-contact compares these."""
        found = {t.faq_id for t in self.turns if t.outcome in ANSWERED and t.faq_id}
        return found | set(self.ticket.topics if self.ticket else ())


@dataclass(frozen=True)
class Facts:
    """How one conversation ended under the definitions above,
    from `judge`; the rollup stores them.
    """

    questions: int
    answers: int
    no_answers: int
    handoff_reason: str | None
    confirmed: bool
    assumed: bool
    judged: bool
    durable: bool
    recontact: bool
    week_passed: bool
    deflected: bool


def sessionize(
    turns: Iterable[TurnRow],
    tickets: Iterable[TicketRow] = (),
    verdicts: Iterable[VerdictRow] = (),
    customers: Mapping[str, str] | None = None,
) -> list[Conversation]:
    """Group rows into conversations; a ticket with no conversation of its own makes one."""
    customers = customers or {}
    by_sender: dict[str, list[Conversation]] = defaultdict(list)
    for turn in sorted(turns, key=lambda t: (t.sender_id, t.at)):
        own = by_sender[turn.sender_id]
        if own and turn.at - own[-1].ended_at < NEW_VISIT:
            own[-1].turns.append(turn)
            own[-1].ended_at = turn.at
            continue
        key = customers.get(turn.sender_id, turn.sender_id)
        own.append(
            Conversation(turn.sender_id, key, turn.at, turn.at, turn.lang, turn.channel, [turn])
        )
    for ticket in sorted(tickets, key=lambda k: k.at):
        home = _owner(by_sender[ticket.sender_id], ticket.at)
        if home is None:
            key = customers.get(ticket.sender_id, ticket.sender_id)
            home = Conversation(
                ticket.sender_id, key, ticket.at, ticket.at, ticket.lang, ticket.channel
            )
            by_sender[ticket.sender_id].append(home)
            by_sender[ticket.sender_id].sort(key=lambda c: c.started_at)
        if home.ticket is None:
            home.ticket = ticket
    for verdict in verdicts:
        home = _owner(by_sender.get(verdict.sender_id, []), verdict.at)
        if home is not None:
            home.verdicts.append(verdict)
    return sorted((c for own in by_sender.values() for c in own), key=lambda c: c.started_at)


def _owner(conversations: list[Conversation], at: datetime) -> Conversation | None:
    """The sender's latest conversation that `at` falls in or within `MORE_HELP` after."""
    for conversation in reversed(conversations):
        if conversation.started_at <= at <= conversation.ended_at + MORE_HELP:
            return conversation
        if conversation.started_at <= at:
            return None
    return None


def judge(conversations: list[Conversation], now: datetime) -> dict[int, Facts]:
    """Facts per conversation (keyed by `id()`), given every conversation that could follow it."""
    by_customer: dict[str, list[Conversation]] = defaultdict(list)
    for c in conversations:
        by_customer[c.customer].append(c)
    facts = {}
    for own in by_customer.values():
        own.sort(key=lambda c: c.started_at)
        for i, c in enumerate(own):
            later = [n for n in own[i + 1 :] if n.started_at <= c.ended_at + RETURN_WINDOW]
            facts[id(c)] = _facts(c, later, now)
    return facts


def _facts(c: Conversation, later: list[Conversation], now: datetime) -> Facts:
    topics = c.topics
    same_topic = [n for n in later if n.started_at > c.ended_at and topics & n.topics]
    soon = any(n.started_at <= c.ended_at + MORE_HELP for n in same_topic)
    verdicts = sorted(c.verdicts, key=lambda v: v.at)
    last_verdict = verdicts[-1].helpful if verdicts else None
    asked_more = c.ticket is not None or last_verdict is False or soon
    question_turns = [t for t in c.turns if t.outcome in QUESTIONS]
    answered = c.answers > 0
    confirmed = answered and last_verdict is True and not asked_more
    assumed = (
        answered
        and bool(question_turns)
        and question_turns[-1].outcome in ANSWERED
        and last_verdict is None
        and not asked_more
    )
    recontact = bool(same_topic)
    handed_later = any(n.ticket is not None and n.started_at > c.ended_at for n in later)
    return Facts(
        questions=len(question_turns),
        answers=c.answers,
        no_answers=sum(t.outcome == "no_answer" for t in c.turns),
        handoff_reason=c.ticket.reason if c.ticket else None,
        confirmed=confirmed,
        assumed=assumed,
        judged=now >= c.ended_at + MORE_HELP,
        durable=(confirmed or assumed) and not recontact and not handed_later,
        recontact=recontact,
        week_passed=now >= c.ended_at + RETURN_WINDOW,
        deflected=answered and c.ticket is None and not recontact,
    )


def settled(c: Conversation, now: datetime) -> bool:
    """Nothing that happens from `now` on can change this conversation's facts."""
    return now >= c.ended_at + SETTLE
