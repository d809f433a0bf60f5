"""Chat-style copies of the KB's phrasings, for learning and calibrating at build time.

An entry's phrasings are short and clean; customers write "hei, lurer på en
ting. kan jeg bytte str på skoa jeg kjøpte" with a lead-in, lower case, no
accents, typos and no question mark. A build that learns and sets thresholds
from the phrasings alone expects customers to score as high as the KB scores
against itself, and declines half of what they really ask (issue 10). The
copies made here carry those habits, never new meaning: the words of the
question stay, so a copy is still an example of its entry.

Copies are deterministic (seeded by the text), so a rebuild of the same KB
fits the same model.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from functools import cache
from pathlib import Path

import yaml

WORDS = Path(__file__).parent / "words" / "chatter.yml"
COPIES = 2
TYPO_RATE = 0.03
_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def chat_copies(text: str, lang: str, copies: int = COPIES) -> list[str]:
    """`copies` variants of `text` as a customer might type it in chat."""
    rng = random.Random(hashlib.sha256(f"{lang}\0{text}".encode()).digest())
    return [_chat_copy(text, lang, rng) for _ in range(copies)]


def _chat_copy(text: str, lang: str, rng: random.Random) -> str:
    words = _words(lang)
    core = text.strip()
    if rng.random() < 0.5:
        core = core.rstrip("?!. ")
    if rng.random() < 0.45:
        lead = rng.choice(words["lead_ins"])
        core = f"{lead}. {core}" if rng.random() < 0.5 else f"{lead} {_lower_first(core)}"
    if rng.random() < 0.35:
        core = f"{rng.choice(words['greetings'])}, {core}"
    if rng.random() < 0.3:
        core = f"{core}{'' if core[-1:] in '?!.' else '.'} {rng.choice(words['closings'])}"
    if rng.random() < 0.6:
        core = core.lower()
    if rng.random() < 0.3:
        core = strip_accents(core)
    if rng.random() < 0.6:
        core = typos(core, rng)
    return core


def strip_accents(text: str) -> str:
    """ "blåbær" as typed on a foreign keyboard: "blabaer" is too much, "blabær" is usual."""
    return "".join(
        ch if ch in "æøÆØ" else unicodedata.normalize("NFKD", ch)[:1] or ch for ch in text
    )


def typos(text: str, rng: random.Random, rate: float = TYPO_RATE) -> str:
    """Drop, double, swap or mistype about `rate` of the letters."""
    chars = list(text)
    out: list[str] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        if not ch.isalpha() or rng.random() >= rate:
            out.append(ch)
            i += 1
            continue
        kind = rng.randrange(4)
        if kind == 0:  # dropped
            pass
        elif kind == 1:  # doubled
            out += [ch, ch]
        elif kind == 2 and i + 1 < len(chars):  # swapped with the next
            out += [chars[i + 1], ch]
            i += 1
        else:  # a neighbouring key
            out.append(rng.choice(_NEIGHBOURS))
        i += 1
    return "".join(out)


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]  # keep "EU", "SMS"


@cache
def _words(lang: str) -> dict[str, list[str]]:
    document = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    lang = lang if lang in document["lead_ins"] else "en"
    return {
        kind: [str(w) for w in document[kind][lang]]
        for kind in ("greetings", "closings", "lead_ins")
    }
