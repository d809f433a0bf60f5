"""The handoff triggers, one small function each, with the evidence they found.

The turn (bot/turn/core.py) asks them in a fixed order: `before_search` the ones
that look only at the conversation (the customer's words and what happened so
far), `after_search` the ones that also see the KB's reply to this turn. Each
returns a `Trigger` (hand off, or only offer a person) or None. Their thresholds
(`HandoffConfig`) are settings, parsed at start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.handoff import account, closing, complaints, questions, requests, signals
from bot.handoff.conversation import Conversation, Turn
from bot.handoff.frustration import frustration, word_signals
from bot.handoff.meaning import Meaning
from bot.settings import HandoffConfig

REASONS = (
    "requested",
    "frustration",
    "repeated_failure",
    "complex",
    "complaint",
    "sensitive_topic",
    "vip",
    "repeat_contact",
)
KB_REPLIES = ("answer", "clarify", "no_answer")  # the kinds of a bot turn that was the KB's reply


@dataclass(frozen=True)
class Trigger:
    """Why the bot hands off (or offers a person), with the evidence the ticket shows the agent."""

    reason: str
    evidence: tuple[str, ...]
    offer_only: bool = False  # offer a person, keep the bot talking
    score: float | None = None
    callback: bool = False  # the customer asked to be phoned back


def requested(conv: Conversation) -> Trigger | None:
    """Rasa's `request_human` intent or the words; a callback request is one too."""
    turn = conv.latest
    if turn is None:
        return None
    callback = bool(requests.asks_callback(turn.text))
    if turn.intent == "request_human":
        return Trigger(
            "requested", (f"intent request_human: {turn.text[:80]!r}",), callback=callback
        )
    found = requests.requests_person(turn.text)
    if not found:
        return None
    return Trigger("requested", tuple(f"asked for {w!r}" for w in found), callback=callback)


def complaint(conv: Conversation) -> Trigger | None:
    """The complaint intent from Rasa, or complaint words in the latest turn."""
    turn = conv.latest
    if turn is None:
        return None
    if turn.intent == "complaint":
        return Trigger("complaint", (f"intent complaint: {turn.text[:80]!r}",))
    found = signals.find(signals.COMPLAINT, turn.text)
    if not found:
        return None
    evidence = tuple(f"said {w!r}" for w in found)
    if complaints.asks_how_to_complain(turn.text):  # the KB's answer first, and a person offered
        return Trigger("complaint", (*evidence, "asks how complaining works"), offer_only=True)
    return Trigger("complaint", evidence)


def frustrated(
    conv: Conversation, config: HandoffConfig, meaning: Meaning | None = None
) -> Trigger | None:
    """Hand off at the handoff threshold, offer a person at the offer threshold, else None."""
    score = frustration(conv, meaning)
    if score.total >= config.frustration_handoff:
        return Trigger("frustration", score.evidence, score=score.total)
    if score.total >= config.frustration_offer:
        return Trigger("frustration", score.evidence, offer_only=True, score=score.total)
    return None


def complex_now(
    conv: Conversation, config: HandoffConfig, meaning: Meaning | None = None
) -> Trigger | None:
    """Account problems or reference numbers (named or long): one customer's own case, no FAQ
    resolves it.

    The listed phrases, and the account model's reading of a long message
    (`account.own_problem`): a customer telling their own order, invoice, device
    or account problem at length, read at a lower level once the KB has replied
    earlier in the conversation. A short question with an order number and nothing
    else wrong waits for the KB's reply (`complex_reference`), unless it only asks us to
    act on the order.
    """
    turn = conv.latest
    if turn is None:
        return None
    problems = [f"account problem {w!r}" for w in signals.find(signals.ACCOUNT_PROBLEM, turn.text)]
    numbers = [f"reference {m!r}" for m in signals.REFERENCE_NUMBER.findall(turn.text)]
    named = [] if numbers else signals.identifiers(turn.text)
    own = [f"gives their {name} with its number" for name in named]
    replied = _kb_replied(conv)
    told: list[str] = []
    if not (problems or own) and meaning is not None and not closing.is_closing(turn.text):
        found = account.own_problem(turn.text, meaning, replied_before=replied)
        told = [found] if found else []
    # A number with a question that asks us to act on it ("... men jag valde ICA vid
    # Fridhemsplan. Kan ni få det flyttat?") is the customer's case, however short.
    case = numbers and (not _short_question(turn.text) or account.only_asks_us(turn.text))
    if problems or own or told or case:
        return Trigger("complex", (*problems, *numbers, *own, *told))
    return None  # a short question with an order number: `complex_reference`, after the KB


def _kb_replied(conv: Conversation) -> bool:
    """The KB replied earlier in the conversation: the FAQ route was tried."""
    return any(t.role == "bot" and t.kind in KB_REPLIES for t in conv.turns)


# An order number in a message this long comes with the story of what happened to the order
# (the dev sets' own cases with a number: 39-90 words); shorter, with a question, it is usually a
# FAQ question about one's order (blind dev6's calm ones: 24-28 words).
REFERENCE_STORY_WORDS = 35


def _short_question(text: str) -> bool:
    """A question of its own in fewer than REFERENCE_STORY_WORDS words."""
    return len(signals.words(text)) < REFERENCE_STORY_WORDS and bool(questions.questions(text))


def complex_reference(conv: Conversation, outcome: str) -> Trigger | None:
    """An order or invoice number given with a short question and nothing else wrong: the KB's
    reply, with a person offered (a second failure hands off, `repeated_failure`).

    "placed order 30418872 20 mins ago, can I still switch to a pickup point?" is the
    change-order entry's question: the number says whose order it is, not that
    something went wrong (blind dev6: 5 of 60 calm dialogues were handed off for it).
    Given after the bot's reply, with a question the KB cannot answer ("NV-3120094, but I
    find no button under My pages. Can you change the shoes from 42 to 43?"), the FAQ route
    was tried already: an agent looks the order up.
    """
    turn = conv.latest
    numbers = signals.REFERENCE_NUMBER.findall(turn.text) if turn is not None else []
    if not numbers:
        return None
    evidence = (*(f"reference {m!r}" for m in numbers), f"knowledge base: {outcome}")
    if outcome != "answer" and _kb_replied(conv):
        return Trigger("complex", (*evidence, "after the bot's reply"))
    return Trigger("complex", evidence, offer_only=True)


MAX_SEARCHED_QUESTIONS = 6


def many_topics(
    conv: Conversation, config: HandoffConfig, topic_of: Callable[[str], str | None]
) -> Trigger | None:
    """Many questions at once about several different things: a person takes them in one go.

    Three questions about one thing ("is the first service free? how do I book it?
    how long will I be without my bike?") are one KB entry's answer; three about
    invoices, shipping abroad and delivery times are not. `topic_of` places one
    question sentence in the KB (None when nothing is close enough); it is called
    only for a message that asks `questions_at_once` questions or more.
    """
    turn = conv.latest
    if turn is None:
        return None
    count = questions.question_count(turn.text)
    if count < config.questions_at_once:
        return None
    asked = questions.question_sentences(turn.text)[:MAX_SEARCHED_QUESTIONS]
    topics = list(dict.fromkeys(t for t in map(topic_of, asked) if t))
    if len(topics) < config.distinct_topics:
        return None
    return Trigger("complex", (f"{count} questions in one message", f"about {', '.join(topics)}"))


def complex_unanswered(conv: Conversation, outcome: str) -> Trigger | None:
    """Several questions about the customer's own order or account, and the KB had no answer.

    Either alone is how customers write FAQ questions ("can I still cancel my order?",
    "how do I make an account, and can I join the club too?"): measured on
    data/eval/chat.yml, "two questions or 'my order', and no answer" handed off 14 %
    of answerable messages. A plain no-answer offers a person anyway, and a second one
    hands off (`repeated_failure`). Only a real no-answer counts: when the KB offers
    buttons (clarify), the right entry is usually among them.
    """
    turn = conv.latest
    if turn is None or outcome != "no_answer":
        return None
    own = [f"own account {w!r}" for w in signals.find(signals.ACCOUNT_REFERENCE, turn.text)]
    count = questions.question_count(turn.text)
    if not own or count < 2:
        return None
    return Trigger(
        "complex", (*own, f"{count} questions in one message", f"knowledge base: {outcome}")
    )


def repeated_failure(conv: Conversation, outcome: str, config: HandoffConfig) -> Trigger | None:
    """This turn failed too, and the failures before it were in a row.

    A turn fails when the KB has no answer, or when the customer says the answer
    before it missed ("not what I asked"): a KB that answers the wrong entry twice
    fails the customer as surely as one that declines twice. When every failure was
    a plain no-answer and the customer only asked something else (no 👎, no "that's
    not what I asked", no "I mean ..."), the KB lacks two answers but the customer is
    not stuck: a person is offered, and one more failure hands off.
    """
    latest = conv.latest
    missed = _missed(latest) if latest else []
    if outcome != "no_answer" and not missed:
        return None
    # The latest turn counts itself when it says the answer before it missed.
    streak = (outcome == "no_answer") + failure_streak(conv.turns if missed else conv.turns[:-1])
    if streak < config.failures_in_a_row:
        return None
    evidence = [f"{streak} unanswered or unhelpful turns in a row"]
    said = [w for t in conv.turns if t.role == "customer" for w in _missed(t)]
    if said:
        evidence.append("said the answer missed: " + ", ".join(repr(w) for w in said[-2:]))
    moved_on = _asks_something_else(conv) and not _rated_down(conv, streak)
    if not said and moved_on and streak == config.failures_in_a_row:
        return Trigger("repeated_failure", (*evidence, "asked about something else"), True)
    return Trigger("repeated_failure", tuple(evidence))


def _asks_something_else(conv: Conversation) -> bool:
    """The latest customer turn asks a question of its own, calmly: not an earlier one again
    ("I mean in grams"), and not a reaction to the failure ("forget it, I give up")."""
    asked = [t.text for t in conv.turns if t.role == "customer" and not t.text.startswith("/")]
    if not asked or not questions.questions(asked[-1]):
        return False
    latest = asked[-1]
    restated = signals.find(signals.RESTATED, latest) or any(
        signals.same_question(latest, before) for before in asked[:-1]
    )
    calm = not word_signals(latest) and not signals.DOUBLED_MARKS.search(latest)  # not "2-4 days??"
    return calm and not restated


def _rated_down(conv: Conversation, streak: int) -> bool:
    """A 👎 among the turns of the current streak of failures."""
    recent = conv.turns[-(2 * streak + 2) :]
    return any(t.role == "customer" and t.intent == "feedback_not_helpful" for t in recent)


def failure_streak(turns: tuple[Turn, ...]) -> int:
    """Failures (no answer, 'not helpful', 'not what I asked') counted back from the end until a
    success. "Not what I asked" counts only when a bot answer comes before it: it is that answer
    that failed."""
    streak = 0
    negative_next = False
    rejected_next = False  # a customer turn said the answer before it missed
    for at in range(len(turns) - 1, -1, -1):
        turn = turns[at]
        if turn.role == "customer" and turn.intent == "feedback_not_helpful":
            streak += 1
            negative_next = True
        elif turn.role == "customer" and _missed(turn):
            rejected_next = True
        elif turn.role == "customer" and turn.intent in ("feedback_helpful", "thanks", "affirm"):
            break
        elif turn.role == "customer" and closing.is_closing(
            turn.text, closing.replied_to(turns[:at])
        ):
            break  # "super, mange tak for hjælpen": thanks NLU did not place
        elif turn.role == "bot" and turn.kind == "no_answer":
            streak += 1
        elif turn.role == "bot" and turn.kind == "answer":
            if not (negative_next or rejected_next):
                break
            streak += rejected_next and not negative_next  # a 👎 on it counted already
            negative_next = rejected_next = False
    return streak


def _missed(turn: Turn) -> list[str]:
    """The words of a customer turn saying the answer before it missed the question."""
    if turn.role != "customer" or turn.text.startswith("/"):
        return []
    return signals.find(signals.ANSWER_MISSED, turn.text)


def sensitive(handoff_mode: str | None, faq_id: str | None) -> Trigger | None:
    """The answered entry's own `handoff` setting: "always" hands off, "offer" offers a person."""
    if handoff_mode == "always":
        return Trigger("sensitive_topic", (f"entry {faq_id} says handoff: always",))
    if handoff_mode == "offer":
        return Trigger("sensitive_topic", (f"entry {faq_id} says handoff: offer",), True)
    return None


def vip(conv: Conversation, outcome: str, config: HandoffConfig) -> Trigger | None:
    """A VIP customer gets a person at the first turn the bot cannot answer."""
    if conv.tier and conv.tier.casefold() in config.vip_tiers and outcome == "no_answer":
        return Trigger("vip", (f"tier {conv.tier}", f"knowledge base: {outcome}"))
    return None


def repeat_contact(
    conv: Conversation, topic: str | None, earlier: list[datetime], config: HandoffConfig
) -> Trigger | None:
    """The same customer came back about `topic` within the window: the answer did not solve it.

    `earlier`: when this customer asked about the topic before (from the contacts table).
    """
    if not conv.customer_id or not topic:
        return None
    start = conv.started_at
    window = timedelta(days=config.repeat_contact_days)
    before = [t for t in earlier if start is None or t < start]
    recent = [t for t in before if start is None or start - t <= window]
    if not recent:
        return None
    last = max(recent)
    return Trigger(
        "repeat_contact",
        (f"customer {conv.customer_id} asked about {topic} on {last:%Y-%m-%d %H:%M}",),
    )
