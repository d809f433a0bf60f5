"""An agent's reply to one customer, rewritten as an answer any customer can read.

The personal-data masking (svar_privacy) takes contact details and ids; then the
greeting and the sign-off go (the words are the ones bot/kb/question.py strips
from customers' messages, `words/chatter.yml`), with the name that follows the
greeting ("Hi Kari,") and the agent's own name, and order or case numbers become
a placeholder. What is left is a draft: an editor reads it before it is an answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.kb.question import core_question
from svar_privacy import mask_text

ORDER = "[order number]"
NAME = "[name]"
# A number long enough to be an order, case or parcel number ("#A12345", "4471-2290"),
# never a price or a count of days. Bounded repetitions: linear on any input.
_NUMBER = re.compile(r"#?\b[A-Z]{0,3}\d[\d-]{3,30}\d\b")
_TRAILING_NAME = re.compile(r"(?:[\s,–-]{0,3}\[name\][.!]?){1,3}\s*$")
_LEADING_NAME = re.compile(r"^([A-ZÆØÅÄÖ][\w'-]{1,30})(?:\s[A-ZÆØÅÄÖ][\w'-]{1,30})?\s*[,!:]\s*")


def reusable_answer(text: str, names: Iterable[str] = ()) -> str:
    """`text` masked, without greeting, sign-off, names and order numbers."""
    core = core_question(mask_text(text.strip()))
    found = _LEADING_NAME.match(core)
    known = {n for n in names if n and len(n) > 1}
    if found:
        known.add(found.group(1))
        core = core[found.end() :]
    for name in sorted(known, key=len, reverse=True):
        core = re.sub(rf"\b{re.escape(name)}\b", NAME, core)
    core = _TRAILING_NAME.sub("", core)  # a bare signature: "... welcome. Per"
    core = _NUMBER.sub(ORDER, core).strip(" ,;:-")
    if core and (core[-1].isalnum() or core.endswith("]")):
        core += "."  # the sign-off's cut took the sentence's full stop
    return core[:1].upper() + core[1:]
