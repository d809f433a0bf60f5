"""Text signals a handoff decision is built from, each small and explainable.

Every detector returns the evidence it found (words, counts) rather than a bare
boolean, so that the ticket can say *why* the bot handed off. Word lists cover
en, nb, sv, da and nl; they are matched on casefolded, word-bounded text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"\w+", re.UNICODE)


def _alternation(phrases: Iterable[str]) -> str:
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        escaped = re.escape(phrase.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(escaped + (r"\w*" if phrase.endswith("*") else ""))
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


def pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex that matches any phrase at word boundaries (phrases may end in *)."""
    return re.compile(_alternation(phrases), re.IGNORECASE)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def find(pattern: re.Pattern[str], text: str) -> list[str]:
    return [m.group(0) for m in pattern.finditer(normalize(text))]


_PLAIN = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l"})


def fold(text: str) -> str:
    """Casefolded, with accents dropped: 'Människa' and 'manniska' become one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_PLAIN))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def folded_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Like `pattern`, for matching `fold`ed text: one phrase covers its unaccented typings."""
    return re.compile(_alternation(fold(p) for p in phrases))


def find_folded(pattern: re.Pattern[str], text: str) -> list[str]:
    return [m.group(0) for m in pattern.finditer(fold(text))]


COMPLAINT = pattern(
    [
        "complaint",
        "complain*",
        "file a complaint",
        "formal complaint",
        "klage",
        "klager",
        "klagen",
        "reklamasjon",
        "reklamere",
        "klagomål",
        "klaga",
        "reklamation",
        "reklamera",
        "klage over",
        "klager over",
        "reklamere over",
        "klacht",
        "klacht indienen",
        "klagen over",
        "ik wil klagen",
    ]
)

SWEARING = pattern(
    [
        # en
        "fuck*",
        "shit*",
        "damn*",
        "crap*",
        "bullshit",
        "wtf",
        "idiot*",
        "stupid",
        "bloody",
        "screw you",
        "morons",
        "moron",
        "pathetic",
        "scam*",
        "ripoff",
        "rip-off",
        "joke",
        # nb / da
        "faen",
        "fy faen",
        "helvete",
        "jævla",
        "jævlig",
        "dritt*",
        "idiot",
        "idioter",
        "for helvede",
        "fanden",
        "lort",
        "pis",
        "satans",
        "kraftidiot*",
        "svindel*",
        # sv
        "jävla",
        "jävlar",
        "helvete",
        "skit*",
        "idioter",
        "bedrägeri*",
        # nl
        "kut",
        "kutzooi",
        "godverdomme",
        "verdomme",
        "klote",
        "shit",
        "tering",
        "kanker*",
        "oplichters",
        "oplichting",
        "belachelijk",
        "idioten",
    ]
)

USELESS = pattern(
    [
        # en
        "useless",
        "worthless",
        "not helpful",
        "doesn't help",
        "does not help",
        "waste of time",
        "you don't understand",
        "you're not listening",
        "terrible",
        "awful",
        "worst",
        "ridiculous",
        "unacceptable",
        "fed up",
        "sick of",
        "stupid bot",
        "dumb bot",
        "not what i asked",
        "still no answer",
        "already told you",
        "i said",
        # nb
        "ubrukelig*",
        "unyttig*",
        "hjelper ikke",
        "forstår ikke",
        "sløsing med tid",
        "elendig*",
        "håpløs*",
        "latterlig*",
        "uakseptab*",
        "lei av",
        "dum bot",
        "har allerede sagt",
        "det var ikke det jeg spurte om",
        # sv
        "värdelös*",
        "oanvändbar*",
        "hjälper inte",
        "förstår inte",
        "slöseri med tid",
        "hopplös*",
        "löjlig*",
        "oacceptab*",
        "trött på",
        "usel",
        "har redan sagt",
        "det var inte det jag frågade",
        # da
        "ubrugelig*",
        "elendig*",
        "hjælper ikke",
        "forstår ikke",
        "spild af tid",
        "håbløs*",
        "latterlig*",
        "uacceptab*",
        "træt af",
        "har allerede sagt",
        # nl
        "nutteloos",
        "nutteloze",
        "waardeloos",
        "waardeloze",
        "helpt niet",
        "begrijpt het niet",
        "begrijp je het niet",
        "zonde van mijn tijd",
        "verschrikkelijk",
        "belachelijk",
        "onacceptabel",
        "ik ben het zat",
        "ik heb het al gezegd",
        "dat vroeg ik niet",
    ]
)

SARCASM = pattern(
    [
        "yeah right",
        "oh great",
        "thanks for nothing",
        "wow thanks",
        "very helpful not",
        "great job",
        "oh wonderful",
        "sure you do",
        "takk for ingenting",
        "supert altså",
        "flott altså",
        "ja takk du",
        "tack för ingenting",
        "jättebra då",
        "toppen då",
        "tak for ingenting",
        "super så",
        "bedankt voor niks",
        "nou lekker",
        "geweldig hoor",
        "echt top zeg",
    ]
)

# A problem with one customer's own order or money: a FAQ cannot resolve it.
ACCOUNT_PROBLEM = pattern(
    [
        "charged twice",
        "double charged",
        "charged me twice",
        "wrong item",
        "never arrived",
        "hasn't arrived",
        "has not arrived",
        "didn't arrive",
        "still not arrived",
        "missing item",
        "belastet to ganger",
        "trukket to ganger",
        "feil vare",
        "har ikke kommet",
        "kom aldri",
        "mangler en vare",
        "dragit två gånger",
        "debiterad två gånger",
        "fel vara",
        "har inte kommit",
        "kom aldrig",
        "trukket to gange",
        "forkert vare",
        "er ikke kommet",
        "kom aldrig",
        "twee keer afgeschreven",
        "dubbel afgeschreven",
        "dubbel betaald",
        "verkeerde artikel",
        "nooit aangekomen",
        "niet aangekomen",
        "niet ontvangen",
    ]
)

# Talking about one's own account: complex only when the KB cannot answer it.
ACCOUNT_REFERENCE = pattern(
    [
        "my order",
        "my account",
        "my invoice",
        "my payment",
        "my refund",
        "order number",
        "my package",
        "my parcel",
        "min ordre",
        "min bestilling",
        "bestillingen min",
        "ordren min",
        "kontoen min",
        "min konto",
        "fakturaen min",
        "min faktura",
        "ordrenummer",
        "pakken min",
        "refusjonen min",
        "min beställning",
        "mitt konto",
        "ordernummer",
        "mitt paket",
        "min återbetalning",
        "min pakke",
        "mijn bestelling",
        "mijn account",
        "mijn factuur",
        "bestelnummer",
        "mijn pakket",
        "mijn terugbetaling",
    ]
)

# An order or invoice number: a digit run of 5+ or letters+digits like NV-123456.
REFERENCE_NUMBER = re.compile(r"(?<!\w)(?:[A-Za-z]{1,4}[- ]?)?\d{5,}(?!\w)")


def shouting(text: str) -> bool:
    """Mostly capitals over enough letters to mean it (not an acronym like 'DHL')."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 8:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) >= 0.7


def punctuation_runs(text: str) -> list[str]:
    """`!!!`, `???`, `?!?` and the like: three or more in a row (two counts for !!)."""
    return re.findall(r"[!?]{3,}|!!", text)


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def same_question(a: str, b: str) -> bool:
    """Two customer messages ask the same thing (word overlap, Jaccard >= 0.6)."""
    wa, wb = set(words(a)), set(words(b))
    if len(wa) < 2 or len(wb) < 2:
        return False
    return len(wa & wb) / len(wa | wb) >= 0.6


# Faces and gestures customers use instead of words: eye-roll, anger, facepalm.
ANGRY_EMOJI = re.compile("[\U0001f644\U0001f621\U0001f620\U0001f624\U0001f92c\U0001f926\U0001f44e]")


def angry_emoji(text: str) -> list[str]:
    """🙄 😡 😠 😤 🤬 🤦 👎 in the message, in order."""
    return ANGRY_EMOJI.findall(text)
