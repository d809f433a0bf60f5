"""The resolution definitions on constructed conversations, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.gaps.conversations import (
    Conversation,
    Facts,
    TicketRow,
    TurnRow,
    VerdictRow,
    judge,
    sessionize,
)

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
LATER = T0 + timedelta(days=30)


def turn(
    sender: str, at: timedelta, outcome: str = "answer", faq: str | None = "delivery"
) -> TurnRow:
    return TurnRow(
        sender, T0 + at, outcome, faq if outcome in ("answer", "notice") else None, "en", "web"
    )


def facts_of(
    turns: list[TurnRow],
    tickets: list[TicketRow] | None = None,
    verdicts: list[VerdictRow] | None = None,
    customers: dict[str, str] | None = None,
    now: datetime = LATER,
) -> list[tuple[Conversation, Facts]]:
    conversations = sessionize(turns, tickets or [], verdicts or [], customers)
    found = judge(conversations, now)
    return [(c, found[id(c)]) for c in conversations]


def first(pairs: list[tuple[Conversation, Facts]]) -> Facts:
    return pairs[0][1]


def test_greetings_only_is_no_question_and_never_resolved() -> None:
    pairs = facts_of(
        [turn("s", timedelta(0), "greeting"), turn("s", timedelta(minutes=1), "thanks")]
    )
    f = first(pairs)
    assert f.questions == 0
    assert not (f.confirmed or f.assumed or f.durable or f.deflected)


def test_answer_then_silence_is_assumed_resolved_only_after_24_hours() -> None:
    turns = [turn("s", timedelta(0))]
    early = first(facts_of(turns, now=T0 + timedelta(hours=23)))
    assert early.assumed and not early.judged  # counted only once judged
    late = first(facts_of(turns, now=T0 + timedelta(hours=24, minutes=1)))
    assert late.assumed and late.judged and not late.confirmed


def test_helpful_verdict_is_confirmed_not_assumed() -> None:
    f = first(
        facts_of(
            [turn("s", timedelta(0))], verdicts=[VerdictRow("s", T0 + timedelta(minutes=1), True)]
        )
    )
    assert f.confirmed and not f.assumed and f.durable


def test_not_helpful_as_last_verdict_is_not_resolved() -> None:
    verdicts = [
        VerdictRow("s", T0 + timedelta(minutes=1), True),
        VerdictRow("s", T0 + timedelta(minutes=2), False),
    ]
    f = first(facts_of([turn("s", timedelta(0))], verdicts=verdicts))
    assert not f.confirmed and not f.assumed


def test_last_reply_without_an_answer_is_not_assumed() -> None:
    turns = [turn("s", timedelta(0)), turn("s", timedelta(minutes=2), "no_answer")]
    f = first(facts_of(turns))
    assert f.questions == 2 and f.no_answers == 1 and not f.assumed


def test_handoff_in_the_conversation_is_asking_for_more_help() -> None:
    ticket = TicketRow("s", T0 + timedelta(minutes=5), "requested", topics=("delivery",))
    f = first(facts_of([turn("s", timedelta(0))], tickets=[ticket]))
    assert f.handoff_reason == "requested"
    assert not (f.assumed or f.confirmed or f.deflected)


def test_ticket_without_questions_is_its_own_conversation() -> None:
    pairs = facts_of([], tickets=[TicketRow("s", T0, "requested")])
    assert len(pairs) == 1 and pairs[0][1].questions == 0 and pairs[0][1].handoff_reason


def test_return_on_day_6_is_recontact_and_not_durable() -> None:
    turns = [turn("s", timedelta(0)), turn("s", timedelta(days=6))]
    pairs = facts_of(turns)
    assert len(pairs) == 2
    f = pairs[0][1]
    assert f.assumed and f.recontact and not f.durable and not f.deflected


def test_return_on_day_8_leaves_the_first_durably_resolved() -> None:
    f = first(facts_of([turn("s", timedelta(0)), turn("s", timedelta(days=8))]))
    assert f.assumed and f.durable and not f.recontact


def test_return_on_another_topic_is_not_recontact() -> None:
    f = first(facts_of([turn("s", timedelta(0)), turn("s", timedelta(days=3), faq="returns")]))
    assert not f.recontact and f.durable


def test_return_within_24_hours_on_the_same_topic_is_asking_for_more_help() -> None:
    f = first(facts_of([turn("s", timedelta(0)), turn("s", timedelta(hours=5))]))
    assert not f.assumed and f.recontact


def test_recontact_across_channels_through_the_customer_id() -> None:
    turns = [turn("web:1", timedelta(0)), turn("wa:1", timedelta(days=2))]
    alone = first(facts_of(turns))
    assert not alone.recontact  # two senders, nothing links them
    linked = first(facts_of(turns, customers={"web:1": "C1", "wa:1": "C1"}))
    assert linked.recontact and not linked.durable


def test_reopened_problem_a_later_ticket_breaks_durable_resolution() -> None:
    ticket = TicketRow("s", T0 + timedelta(days=3), "complaint", topics=("billing",))
    f = first(facts_of([turn("s", timedelta(0))], tickets=[ticket]))
    assert f.assumed and not f.durable  # the customer needed a person within 7 days


def test_reopened_ticket_same_topic_counts_as_recontact_of_the_first() -> None:
    tickets = [
        TicketRow("s", T0 + timedelta(minutes=3), "requested", topics=("delivery",)),
        TicketRow("s", T0 + timedelta(days=2), "requested", topics=("delivery",)),
    ]
    pairs = facts_of([turn("s", timedelta(0))], tickets=tickets)
    assert len(pairs) == 2
    assert pairs[0][1].handoff_reason == "requested" and pairs[0][1].recontact


def test_a_pause_of_30_minutes_starts_a_new_conversation() -> None:
    turns = [
        turn("s", timedelta(0)),
        turn("s", timedelta(minutes=29)),
        turn("s", timedelta(minutes=60)),
    ]
    assert [c.questions for c, _ in facts_of(turns)] == [2, 1]


def test_week_passed_only_after_7_days() -> None:
    turns = [turn("s", timedelta(0))]
    assert not first(facts_of(turns, now=T0 + timedelta(days=6))).week_passed
    assert first(facts_of(turns, now=T0 + timedelta(days=7))).week_passed
