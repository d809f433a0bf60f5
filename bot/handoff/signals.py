"""Text signals a handoff decision is built from, each small and explainable.

Every detector returns the evidence it found (words, counts) rather than a bare
boolean, so that the ticket can say *why* the bot handed off. The words are data,
one `locale/<lang>/signals.yml` per language, read once at import; they are matched
on casefolded, word-bounded text, every language's words together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.locale import swear_words
from bot.locale import words as words_of

_WORD = re.compile(r"\w+", re.UNICODE)


# " ~ " in a phrase stands for up to GAP_WORDS words of the customer's own between its parts:
# "charged ~ twice" is "charged twice", "charged my card twice", "dragit 1 799 kr två gånger".
# A word may hold a figure's separators ("2,349", "1.249") and end a clause with a comma, but
# not a sentence: "I paid for it. Twice I asked" is two sentences.
GAP = " ~ "
GAP_WORDS = 3
_GAP_WORD = r"[\w'’€-]+(?:[.,][\w'’€-]+)*,?"
_GAP = r"(?:\s+" + _GAP_WORD + r"){0," + str(GAP_WORDS) + r"}\s+"


def _escaped(phrase: str) -> str:
    return re.escape(phrase).replace(r"\ ", r"\s+")


def _alternation(phrases: Iterable[str]) -> str:
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        escaped = _GAP.join(_escaped(part) for part in phrase.rstrip("*").split(GAP))
        parts.append(escaped + (r"\w*" if phrase.endswith("*") else ""))
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


def pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex that matches any phrase at word boundaries (phrases may end in *)."""
    return re.compile(_alternation(phrases), re.IGNORECASE)


def normalize(text: str) -> str:
    """NFC and casefolded: the form every word pattern matches against."""
    return unicodedata.normalize("NFC", text).casefold()


def find(pattern: re.Pattern[str], text: str) -> list[str]:
    """Every match of `pattern` in the normalized text."""
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
    """Every match of a `folded_pattern` in the folded text."""
    return [m.group(0) for m in pattern.finditer(fold(text))]


COMPLAINT = pattern(words_of("complaint.words"))
SWEARING = pattern(swear_words("frustration"))
USELESS = pattern(words_of("frustration.useless"))
SARCASM = pattern(words_of("frustration.sarcasm"))
# "Forget it, I give up": the customer is about to leave without what they came for.
GIVES_UP = pattern(words_of("frustration.gives_up"))
# "I've just told you", "har allerede prøvd": said or done already, and the bot asks again.
INSISTS = pattern(words_of("frustration.insists"))
# "I have now waited five weeks for a refund": waiting told in days, weeks or months; and a
# phone queue told with its length ("sittet i telefonkø i 40 minutter", "25 minutes on hold").
WAITED = pattern([*words_of("frustration.waited"), *words_of("frustration.on_hold")])
# "ingen svarer på e-post", "nobody tells me a thing": the customer's mails or calls go unanswered.
NO_REPLY = pattern(words_of("frustration.no_reply"))
# "This is the fourth time I'm writing", "jag har mejlat två gånger": they came back about it.
WRITTEN_BEFORE = pattern(words_of("frustration.written_before"))
# The listed words of frustration by signal name: `frustration.word_signals` scores them, and a
# thank-you that holds one is no closing (`closing`). One list, so the two cannot drift apart.
FRUSTRATION_WORDS = (
    ("swearing", SWEARING),
    ("useless", USELESS),
    ("gives_up", GIVES_UP),
    ("insists", INSISTS),
    ("waited", WAITED),
    ("no_reply", NO_REPLY),
    ("written_before", WRITTEN_BEFORE),
)
# A problem with one customer's own order or money: a FAQ cannot resolve it.
ACCOUNT_PROBLEM = pattern(words_of("account.problem"))
# Talking about one's own account: complex only when the KB cannot answer it.
ACCOUNT_REFERENCE = pattern(words_of("account.reference"))
# A sum of money or points stated as a figure: "1 499 kr", "€ 139,95", "2 300 poäng". A figure
# is one run of digits and separators, found once; its unit is looked for right after it (one
# pattern with the unit inside took time quadratic in a message of "1 1 1 1 ...").
_FIGURE = re.compile(r"(€\s?)?\d+(?:[.,\s]+\d+)*")
_UNIT = re.compile(
    r"\s?" + _alternation(words_of("account.amounts")).removeprefix(r"(?<!\w)"), re.IGNORECASE
)


def amounts(text: str) -> list[str]:
    """Every sum in the normalized text: € before a figure, or a figure followed by a unit
    ("870kr" too)."""
    said = normalize(text)
    found: list[str] = []
    for figure in _FIGURE.finditer(said):
        if figure.group(1):
            found.append(figure.group(0))
        elif unit := _UNIT.match(said, figure.end()):
            found.append(said[figure.start() : unit.end()])
    return found


# The customer says the bot's answer missed ("not what I asked"): it failed, as a 👎 says.
ANSWER_MISSED = pattern(words_of("failure.missed"))
# The customer restates their question ("I mean in grams", "jag menar alltså").
RESTATED = pattern(words_of("failure.restated"))

# An order or invoice number: a digit run of 5+ or letters+digits like NV-123456.
REFERENCE_NUMBER = re.compile(r"(?<!\w)(?:[A-Za-z]{1,4}[- ]?)?\d{5,}(?!\w)")


def states_case(text: str) -> bool:
    """A listed account problem or an order number: the customer states a case of their own
    ("I was charged twice for order 5512873!!")."""
    return bool(find(ACCOUNT_PROBLEM, text) or REFERENCE_NUMBER.search(text))


# A number the customer gives as theirs by naming it: "medlemsnummeret mitt er 4471-2290",
# "Medlemsnumret står på mitt klubbkort: 7720-1184". The name is looked for first and its figure
# in the same sentence, at most IDENTIFIER_REACH characters on, with four digits or more and not
# a year: a grouped member number has no run of five that REFERENCE_NUMBER would see.
IDENTIFIER = pattern(words_of("account.identifiers"))
IDENTIFIER_REACH = 40
# A figure, or the placeholder Rasa's channels put where they masked one before the bot saw the
# message ("Medlemsnumret står på mitt klubbkort: [phone]", svar_privacy).
_ID_FIGURE = re.compile(r"#?\d[\d -]*\d|\[(?:phone|card|iban)\]")
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")
_YEAR = re.compile(r"(?:19|20)\d\d")  # "ordrenummeret fikk jeg i 2024": a year, not the number


def identifiers(text: str) -> list[str]:
    """The name of every number the customer gives ("medlemsnummeret"): the figure is left
    out, so that the ticket's evidence never holds it."""
    said = normalize(text)
    found: list[str] = []
    for name in IDENTIFIER.finditer(said):
        after = said[name.end() : name.end() + IDENTIFIER_REACH]
        after = after.removeprefix(".")  # "kvitteringsnr. 3349-2210": an abbreviation's dot
        after = _SENTENCE_END.split(after, maxsplit=1)[0]
        figure = _ID_FIGURE.search(after)
        if figure is None or _YEAR.fullmatch(figure.group(0)):
            continue
        if figure.group(0).startswith("[") or sum(ch.isdigit() for ch in figure.group(0)) >= 4:
            found.append(name.group(0))
    return found


def shouting(text: str) -> bool:
    """Mostly capitals over enough letters to mean it (not an acronym like 'DHL')."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 8:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) >= 0.7


def punctuation_runs(text: str) -> list[str]:
    """`!!!`, `???`, `?!?` and the like: three or more in a row (two counts for !!)."""
    return re.findall(r"[!?]{3,}|!!", text)


# "??", "?!", "!!": more than a question or an exclamation; below `punctuation_runs` on its own.
DOUBLED_MARKS = re.compile(r"[?!]{2,}")


def words(text: str) -> list[str]:
    """The normalized text's words."""
    return _WORD.findall(normalize(text))


def same_question(a: str, b: str) -> bool:
    """Two customer messages ask the same thing (word overlap, Jaccard >= 0.6)."""
    wa, wb = set(words(a)), set(words(b))
    if len(wa) < 2 or len(wb) < 2:
        return False
    return len(wa & wb) / len(wa | wb) >= 0.6


# Faces and gestures customers use instead of words: eye-roll, anger, facepalm.
ANGRY_EMOJI = re.compile("[\U0001f644\U0001f621\U0001f620\U0001f624\U0001f92c\U0001f926\U0001f44e]")


# A span of time the customer counts ("11 dagar", "twee weken", "fire uker"): a number, in digits or
# words of the five languages, and a unit of days, weeks, months or hours.
_TIME_COUNT = (
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|to|tre|fire|fem|seks|sju|syv|åtte|otte|"
    r"ni|ti|två|fyra|sex|åtta|nio|tio|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)"
)
_TIME_UNIT = (
    r"(?:days?|weeks?|months?|hours?|dag|dager|dage|dagar|dagen|uke|uker|uka|uge|uger|ugen|vecka|"
    r"veckor|veckan|weken|måned|måneder|månad|månader|maand|maanden|timer|timmar|uur|"
    r"virkedager|hverdage|arbetsdagar|werkdagen)"
)
ELAPSED = re.compile(r"(?<!\w)" + _TIME_COUNT + r"\s+" + _TIME_UNIT + r"(?!\w)")


def elapsed(text: str) -> list[str]:
    """The spans of time counted in the message, normalized."""
    return ELAPSED.findall(normalize(text))


# Faces of good humour: 😄 😅 🤷 😊 🙂 😁 😆 😉 ☺. Not 😂, which laughs at the shop as often as with
# it ("Tak for det 😂"), and not 👍, which sarcasm uses too ("nu vet jag exakt lika mycket 👍").
CHEERFUL_EMOJI = re.compile(
    "[\U0001f604\U0001f605\U0001f937\U0001f60a\U0001f642\U0001f601\U0001f606\U0001f609\u263a]"
)


def cheerful(text: str) -> bool:
    """A face of good humour in the message."""
    return CHEERFUL_EMOJI.search(text) is not None


def angry_emoji(text: str) -> list[str]:
    """🙄 😡 😠 😤 🤬 🤦 👎 in the message, in order."""
    return ANGRY_EMOJI.findall(text)
