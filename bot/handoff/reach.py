"""Did the customers who needed a person reach one, and by the turn a good agent would have?

The measures of issue 16's targets: the share of should-handoff dialogues handed
off by their expected turn (whatever the reason), the share of calm dialogues
handed off, and explicit requests taken per language; plus, per dialogue, the
turn of handoff against the expected one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.handoff.evaluation import Outcome


@dataclass(frozen=True)
class Reach:
    """Whether customers who should reach a person do, in time, and how often calm ones are handed
    off.
    """

    should: int  # dialogues that should reach a person
    in_time: int  # ... handed off at or before the expected turn
    late: int  # ... handed off, but after it
    never: int  # ... never handed off
    right_reason: int  # ... handed off for the expected reason
    calm: int
    calm_handed: int
    requests: dict[str, tuple[int, int]]  # lang -> (taken in time, requests)

    @property
    def in_time_share(self) -> float:
        """Share handed off by the expected turn; 1.0 when no dialogue should be."""
        return self.in_time / self.should if self.should else 1.0

    @property
    def calm_share(self) -> float:
        """Share of calm dialogues handed off anyway; 0.0 when there are none."""
        return self.calm_handed / self.calm if self.calm else 0.0


def in_time(outcome: Outcome) -> bool:
    """Handed off at or before the labelled turn, for any reason."""
    expected = outcome.dialogue.expected_turn
    return expected is not None and outcome.turn is not None and outcome.turn <= expected


def wrong(outcome: Outcome) -> bool:
    """A calm dialogue handed off, or one that should reach a person and did not in time."""
    if outcome.dialogue.expect is None:
        return outcome.reason is not None
    return not in_time(outcome)


def reach(outcomes: list[Outcome]) -> Reach:
    """Count the outcomes into a Reach; requests for a person are also counted per language."""
    should = [o for o in outcomes if o.dialogue.expect is not None]
    calm = [o for o in outcomes if o.dialogue.expect is None]
    requests: dict[str, tuple[int, int]] = {}
    for o in should:
        if o.dialogue.expect == "requested":
            taken, total = requests.get(o.dialogue.lang, (0, 0))
            requests[o.dialogue.lang] = (taken + in_time(o), total + 1)
    return Reach(
        should=len(should),
        in_time=sum(1 for o in should if in_time(o)),
        late=sum(1 for o in should if o.turn is not None and not in_time(o)),
        never=sum(1 for o in should if o.turn is None),
        right_reason=sum(1 for o in should if o.reason == o.dialogue.expect),
        calm=len(calm),
        calm_handed=sum(1 for o in calm if o.reason is not None),
        requests=dict(sorted(requests.items())),
    )


def reach_report(outcomes: list[Outcome]) -> str:
    """The targets' numbers and the turn table (Markdown)."""
    r = reach(outcomes)
    taken = ", ".join(f"{lang} {t}/{n}" for lang, (t, n) in r.requests.items()) or "none"
    lines = [
        f"should reach a person: {r.should}; by the expected turn {r.in_time} "
        f"({r.in_time_share:.0%}), later {r.late}, never {r.never}; "
        f"for the expected reason {r.right_reason}",
        f"calm handed off: {r.calm_handed} of {r.calm} ({r.calm_share:.0%})",
        f"explicit requests taken by the expected turn: {taken}",
        "",
        "| dialogue | kind | expected | turn | got | turn |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        d = o.dialogue
        if d.expect is None and o.reason is None:
            continue  # calm and left alone: nothing to read
        mark = " ✗" if wrong(o) else ""
        lines.append(
            f"| {d.id} | {d.kind or d.label} | {d.expect or 'none'} | {d.expected_turn or '—'} | "
            f"{o.reason or 'none'}{mark} | {o.turn or '—'} |"
        )
    return "\n".join(lines)
