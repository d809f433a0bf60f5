"""A customer telling their own order, invoice, device or account problem at length.

"The mats were not in the box, the tracking says delivered and Klarna wants the
whole amount" is one customer's case: a person should take it at once. "My
daughter has wide feet and is between sizes; can I return one pair for free?"
is context around one question a FAQ answers. The difference is meaning, not
words, so the account model (see `meaning.py`) reads the message; a short
message is left to the KB, whose answer or gap decides.
"""

from __future__ import annotations

from bot.handoff.meaning import Meaning
from bot.handoff.signals import words

MIN_WORDS = 25  # a problem told at length; shorter messages go to the KB first


def own_problem(text: str, meaning: Meaning) -> str | None:
    """Evidence for the ticket when the message tells the customer's own problem, else None.

    Checked before the KB is asked, so the model must be sure (its `handoff`
    level, held to the false-complex limit on answerable messages). Letting a
    weaker reading count once the KB fails was measured and dropped: the KB
    declines many long answerable messages (data/eval/chat.yml), and that rule
    handed off 16 % of them.
    """
    model = meaning.models.get("account")
    count = len(words(text))
    if model is None or count < MIN_WORDS:
        return None
    p = meaning.probability("account", text)
    if p is None or p < model.handoff:
        return None
    return f"tells their own order/account problem at length ({p:.2f}, {count} words)"
