"""The bodies of the staff APIs: what each route takes (`...In`, `...Query`) and gives.

Response models list their fields exactly (`Out` forbids others), so that a field added
in the code and not here fails the tests instead of reaching clients undocumented.
Where a body's inner shape belongs to another module and is reported as is (a gap's
detail, the weekly analytics, a privacy export), the model says so with `dict[str, Any]`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, RootModel, StringConstraints

from bot.web.contract import Body, ErrorBody, Out

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]

TicketStatus = Literal["queued", "assigned", "resolved"]
GapStatus = Literal["open", "answered", "dismissed"]


class OpenObject(RootModel[dict[str, Any]]):
    """A JSON object whose shape the producing module documents."""


class ActionList(RootModel[list[dict[str, Any]]]):
    """rasa-sdk's list of the actions it runs (`[{"name": ...}]`)."""


# --- tickets (bot/web/handoff_api.py) -------------------------------------------------


class TranscriptMessage(Out):
    """One line of a ticket's transcript."""

    role: Literal["customer", "bot", "agent"]
    text: str
    author: str | None
    paused: bool = Field(description="sent while the bot was paused")
    at: Moment | None


class Ticket(Out):
    """A handed-off conversation, as the API, the console and the webhook show it."""

    id: str
    status: TicketStatus
    queue: str = Field(description="the KB entry's team, else general")
    priority: Literal["normal", "high", "urgent"]
    reason: str = Field(description="why the bot handed off (DESIGN.md, the response contract)")
    evidence: list[str]
    summary: str = Field(description="extractive: the customer's own sentences")
    lang: str
    channel: str | None
    sender_id: str
    customer_id: str | None
    tier: str | None
    topics: list[str]
    answers: list[dict[str, Any]] = Field(description="answers given: faq_id, score, feedback")
    details: dict[str, Any] = Field(
        description="complaint {category, what_happened, wants}; closed {why, opens_at}; "
        "wait; callback"
    )
    out_of_hours: bool
    assignee: str | None
    created_at: Moment | None
    assigned_at: Moment | None
    first_reply_at: Moment | None
    resolved_at: Moment | None
    due_at: Moment | None
    follow_up_at: Moment | None
    followed_up_at: Moment | None
    transcript: list[TranscriptMessage] | None = Field(
        default=None, description="only on GET /api/tickets/{ticket_id} and the actions"
    )


class TicketList(Out):
    """Tickets, in the order the route gives them."""

    tickets: list[Ticket]


class TicketQuery(Body):
    """Ticket list filters; absent fields do not filter."""

    status: TicketStatus | None = None
    queue: Name | None = None


class ReplyIn(Body):
    """An agent's reply to the customer."""

    text: Text


class QueueInfo(Out):
    """One queue: open tickets, and whether it is open now by its own calendar."""

    queue: str
    queued: int
    assigned: int
    open_now: bool
    calendar: str = Field(description="the public holidays it follows: NO, SE, GB-ENG, ...")
    closed_because: str | None = Field(description="a holiday's or closure's name, or 'closed'")
    opens_at: Moment | None


class QueueList(Out):
    """Every configured queue."""

    queues: list[QueueInfo]


# --- the editors' API (bot/web/editor_api.py) -------------------------------------------


class GapQuery(Body):
    """Gap list filters; "all" lists every status."""

    status: Literal["open", "answered", "dismissed", "all"] = "open"
    lang: Name | None = None
    team: Name | None = None
    kind: Name | None = None
    limit: int = Field(default=200, ge=1, le=1000)


class Phrasing(Out):
    """A distinct way customers asked the gap's question."""

    text: str
    lang: str | None


class GapRow(Out):
    """One gap as the list shows it (bot/gaps/report.py), most impact first."""

    id: int
    kind: str
    kind_label: str
    status: GapStatus
    question: str
    lang: str | None
    phrasings: list[Phrasing]
    occurrences: int
    handoffs: int
    languages: dict[str, int] = Field(description="occurrences per language")
    weeks: dict[str, int] = Field(description="occurrences per ISO week (2026-W10)")
    faq_id: str | None
    nearest_faq_id: str | None
    nearest_score: float | None
    team: str | None
    resolution: str | None
    impact: float
    first_seen: Moment
    last_seen: Moment


class Occurrence(Out):
    """One time a customer hit the gap."""

    question: str
    lang: str | None
    channel: str | None
    kind: str
    sender_id: str | None
    candidates: Any = Field(description="the entries the bot offered, if any")
    at: Moment


class GapDetail(GapRow):
    """A gap with its latest occurrences."""

    occurrence_list: list[Occurrence] = Field(description="the newest 100")


class GapList(Out):
    """Gaps by impact, at most the query's `limit`; `count` is the number returned."""

    gaps: list[GapRow]
    count: int


class PhrasingIn(Body):
    """A phrasing chosen to become an alternative."""

    text: str = Field(max_length=2_000)
    lang: str | None = None


class AlternativesIn(Body):
    """Which entry gets the gap's phrasings as alternatives."""

    faq_id: Name
    phrasings: list[PhrasingIn] | None = Field(
        default=None, description="the phrasings to add; absent: all of the gap's"
    )


class TranslationIn(Body):
    """One language of a new entry; blank ones are dropped."""

    lang: str
    question: str = Field(max_length=2_000)
    answer: str = Field(max_length=20_000)
    alternatives: list[str] = Field(default_factory=list)


class EntryIn(Body):
    """A new KB entry answering a gap; the id must be new."""

    id: Name
    translations: list[TranslationIn]
    team: Name | None = None
    url: Name | None = None


class EditAccepted(Out):
    """The KB file is written; the index is rebuilt in the background."""

    gap_id: int
    status: Literal["answered"]
    index: Literal["rebuilding"]


class Draft(Out):
    """An answer drafted from an agent's reply to a ticket of the gap (bot/gaps/drafts.py)."""

    id: int
    gap_id: int
    ticket_id: str | None
    lang: str | None
    team: str | None
    question: str
    alternatives: list[str]
    answer: str
    agent: str | None
    status: Literal["proposed", "approved", "rejected", "superseded"]
    faq_id: str | None
    missing_languages: list[str]
    created_at: Moment


class DraftList(Out):
    """A gap's answer drafts."""

    gap_id: int
    drafts: list[Draft]


class ApprovalIn(Body):
    """The editor's final version of a draft, written as a new entry with this id."""

    id: Name = ""
    question: Text
    answer: Text
    alternatives: list[str] = Field(default_factory=list)
    team: Name | None = None
    url: Name | None = None


class DraftDecision(Out):
    """A draft's new status; `index` is set when approval started a rebuild."""

    gap_id: int
    draft_id: int
    status: Literal["approved", "rejected"]
    index: Literal["rebuilding"] | None = None


class GapStatusIn(Body):
    """The status to set."""

    status: GapStatus


class GapStatusOut(Out):
    """The gap's status after the change."""

    gap_id: int
    status: GapStatus


class Regrouped(Out):
    """Open gaps after regrouping."""

    open_gaps: int


class CoverageRow(Out):
    """One entry and the configured languages it exists in or lacks."""

    faq_id: str
    question: str
    team: str
    languages: list[str]
    missing: list[str]


class Coverage(Out):
    """Coverage of every entry, and the configured languages."""

    entries: list[CoverageRow]
    languages: list[str]


class ConflictQuery(Body):
    """Conflicts of one language; absent: all."""

    lang: Name | None = None


class Conflict(Out):
    """Entries that overlap, or whose numbers disagree, in one language."""

    kind: str
    lang: str
    faq_ids: list[str]
    detail: str
    score: float | None


class Conflicts(Out):
    """Conflicts found with the live index."""

    conflicts: list[Conflict]
    count: int


class WeeksQuery(Body):
    """How many weeks back the analytics go."""

    weeks: int = Field(default=8, ge=1, le=104)


class NoticeOut(Out):
    """A notice as stored."""

    id: int
    text: str
    lang: str | None
    keywords: list[str]
    faq_ids: list[str]
    starts_at: Moment
    ends_at: Moment
    created_by: str | None


class NoticeList(Out):
    """Notices, latest end first."""

    notices: list[NoticeOut]


class NoticeIn(Body):
    """A notice to post; no start means now, no language means every language."""

    text: str = Field(max_length=2_000)
    starts_at: datetime | None = None
    ends_at: datetime
    keywords: list[str] | str = Field(
        default_factory=list, description="a list, or comma-separated"
    )
    faq_ids: list[str] | str = Field(default_factory=list, description="a list, or comma-separated")
    lang: str | None = None


class Created(Out):
    """The new row's id."""

    id: int


class NoticeEnded(Out):
    """The notice has ended."""

    id: int
    ended: bool


# --- privacy (bot/web/privacy_api.py) -----------------------------------------------------


class SubjectIn(Body):
    """Exactly one of the two; in the body so that no access log keeps the id."""

    customer_id: str | None = Field(default=None, max_length=200)
    sender_id: str | None = Field(default=None, max_length=200)


class EraseIn(SubjectIn):
    """An erasure request: who, and the request's reference."""

    request: str | None = Field(
        default=None, max_length=200, description="the request's reference, for the audit"
    )


class LastPurge(Out):
    """The last purge run, or None fields before the first."""

    at: Moment | None
    result: dict[str, Any] | None = Field(description="rows purged per store")
    running: bool


class PrivacyStatus(Out):
    """Retention limits in force and the last purge."""

    retention: dict[str, float] = Field(description="days kept per kind of personal data")
    last_purge: LastPurge


class Erased(Out):
    """What an erasure removed."""

    erased: dict[str, int] = Field(description="rows removed per store")


# --- the service itself (status.py, health.py, console login) -------------------------------


class ServiceStatus(Out):
    """The index and model being served, from the index manifest."""

    status: Literal["ok"]
    index_version: str | int
    model: str
    entries: int
    topics: int | list[str]
    languages: list[str]


class Readiness(Out):
    """Whether the service can answer; `checks` names each check's result."""

    status: Literal["ready", "not ready", "starting"]
    checks: dict[str, bool] | None = None


class TrackerState(Body):
    """What rasa-sdk reads of the tracker before any action runs (the rest is Rasa's)."""

    sender_id: str
    slots: dict[str, Any] = Field(default_factory=dict)
    latest_message: dict[str, Any] | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)
    paused: bool = False
    active_loop: dict[str, Any] | None = None


class ActionCall(Body):
    """Rasa's call on the action door: the action to run, with the conversation so far."""

    next_action: str = Field(min_length=1, max_length=200)
    sender_id: str | None = None
    tracker: TrackerState
    domain: dict[str, Any] | None = None
    version: str | None = None


class ActionRefusal(Out):
    """rasa-sdk's own refusal on the action door: Rasa reads `action_name` from a 400 to
    reject a form's input, so this shape stays rasa-sdk's."""

    error: str
    action_name: str | None = None


class ActionError(RootModel[ActionRefusal | ErrorBody]):
    """A refused action call: rasa-sdk's refusal, or ours (a body that is not a JSON object)."""


class Liveness(Out):
    """rasa-sdk's `/health` answer: the process is up; nothing else is checked."""

    status: str


class LoginForm(Body):
    """Sent as a form (application/x-www-form-urlencoded) by the login page."""

    name: str = ""
    password: str = ""
    next: str | None = Field(default=None, description="a local path to go to after")
