"""A customer closing the exchange: "super, mange tak for hjælpen", "and 60 in the club. got it".

Rasa's NLU sends plain thanks to `utter_youre_welcome`, but what it cannot place
("ok, skjønner. stikker innom i Oslo neste gang og ser selv, takk uansett!") reaches
the KB turn like a question. There it used to be a question the KB failed: a gap, a
poor answer, and with one more no-answer before it a handoff of a customer who was
done. A closing turn asks nothing, ends on thanks, a goodbye or an acknowledgement (or opens
with one and says briefly what the customer will do: "ok da tar jeg klikk og hent i stedet"), and
carries no sign of frustration (sarcasm, swearing, an eye-roll, "not what I asked", a wait or
an unanswered mail told), so "thanks for nothing 🙄", "thanks, but it still hasn't come" and
"Jeg har ventet i tre uker. Takk for svaret." are not closings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.handoff import questions, signals
from bot.handoff.conversation import Turn
from bot.locale import words as words_of

THANKS = signals.pattern([*words_of("closing.thanks"), *words_of("closing.goodbye")])
# "got it", "skjønner", "duidelijk": an acknowledgement only where a clause begins or ends with it
# ("det er helt fint", not "the zip on top broke").
UNDERSTOOD = signals.pattern(words_of("closing.understood"))
CONTRAST = signals.pattern(words_of("closing.contrast"))
# "ok", "fair enough", "perfekt": a message that opens by accepting what the bot said and then
# says what the customer will do ("ok da tar jeg klikk og hent i stedet") closes it too.
SETTLED = signals.pattern(
    [*words_of("closing.settled"), *words_of("closing.understood"), *words_of("closing.thanks")]
)
NEGATION = signals.pattern(words_of("closing.negation"))
PRAISE = signals.pattern(words_of("closing.praise"))
POOR_REPLIES = ("no_answer", "clarify")
MAX_WORDS = 30  # longer than this, a message that thanks is telling something too
# ... and one that only opens by accepting, longer than this or with a figure in it ("ok. 3 weeks
# now"), is telling something too.
SETTLED_WORDS = 15
_DIGIT = re.compile(r"\d")
# An acknowledgement that opens a longer clause describes something instead ("Lovely system you
# have.", after being charged at the counter for a free return): at most this many words after it.
ACK_TAIL = 2
# Faces that turn thanks into sarcasm: the angry ones, and 🙃 😒 👏 😂.
_SARCASTIC_FACES = re.compile("[\U0001f643\U0001f612\U0001f44f\U0001f602]")
_SENTENCE_END = re.compile(r"[.!;\n]+")
_CLAUSE = re.compile(r"[^,:]+")
_WORD = re.compile(r"\w+")


def is_closing(text: str, replying_to: Turn | None = None) -> bool:
    """True when the message thanks or acknowledges, asks nothing and shows no frustration.

    `replying_to`: the bot's turn before it. Praise of the help ("tack, jättehjälpsamt") right
    after the bot could not answer is sarcasm, not thanks.
    """
    after_poor = replying_to is not None and replying_to.kind in POOR_REPLIES
    return _closes(text, after_poor)


# The score and the failure streak read every earlier turn again at each turn: one reading each.
@lru_cache(maxsize=1024)
def _closes(text: str, after_poor: bool) -> bool:
    if text.startswith("/") or "?" in text or len(signals.words(text)) > MAX_WORDS:
        return False
    if after_poor and signals.find(PRAISE, text):
        return False
    if questions.question_count(text) or _frustrated(text):
        return False
    sentences = [s for s in _SENTENCE_END.split(signals.normalize(text)) if signals.words(s)]
    if not sentences:
        return False
    last = sentences[-1]
    at = _thanks_at(last)
    if at is None:
        return _settles(sentences)
    return not CONTRAST.search(last, at)


def _settles(sentences: list[str]) -> bool:
    """The message opens by accepting ("fair enough.", "ok, da ...") and goes on briefly to what
    the customer will do, with no figure, no negation ("ok, that didn't help either") and nothing
    that turns it ("ok, but ...").
    """
    text = " ".join(s.strip() for s in sentences)
    opening = SETTLED.match(text)
    if opening is None or _DIGIT.search(text) or NEGATION.search(text):
        return False
    # A bare "ok" may say yes to the bot's offer of a person: the customer must go on.
    if not SETTLED_WORDS >= len(signals.words(text)) > len(signals.words(opening.group(0))) + 1:
        return False
    return not CONTRAST.search(text, opening.end())


def replied_to(before: Sequence[Turn]) -> Turn | None:
    """The bot's reply that the next customer turn answers: its last turn with a kind since the
    customer's last turn (the KB's reply, not the "did this help?" line after it)."""
    for turn in reversed(before):
        if turn.role == "customer":
            return None
        if turn.kind:
            return turn
    return None


def _thanks_at(sentence: str) -> int | None:
    """Where the sentence's thanks or clause-edge acknowledgement ends; None when it has neither."""
    if found := THANKS.search(sentence):
        return found.end()
    for clause in _CLAUSE.finditer(sentence):
        words = list(_WORD.finditer(clause.group(0)))
        if not words:
            continue
        first, last = words[0].start(), words[-1].end()
        for found in UNDERSTOOD.finditer(clause.group(0)):
            if NEGATION.search(clause.group(0), 0, found.start()):
                continue  # "det er ikke fint", "that is not perfect"
            opens = found.start() == first and len(words) - _words_in(found.group(0)) <= ACK_TAIL
            if opens or found.end() == last:
                return clause.start() + found.end()
    return None


def _words_in(phrase: str) -> int:
    return len(_WORD.findall(phrase))


def _frustrated(text: str) -> bool:
    """Any listed sign that the thanks is not meant, or that something is still wrong."""
    patterns = (
        *(pattern for _, pattern in signals.FRUSTRATION_WORDS),
        signals.SARCASM,
        signals.ANSWER_MISSED,
        signals.RESTATED,
        signals.ACCOUNT_PROBLEM,
    )
    if any(signals.find(p, text) for p in patterns):
        return True
    return bool(signals.angry_emoji(text) or _SARCASTIC_FACES.search(text))
