"""Asking for a person, or to be phoned back, in so many words (`request` in signals.yml).

Rasa's `request_human` intent catches most requests; these word lists are the
second, explainable net, and the only one `bot handoff eval` sees. Phrases are
matched on *folded* text (casefolded, accents and ø/æ spelled plainly), because
customers without a Nordic keyboard write "manniska", "tilbake" and "ringa upp
mej" just as often as the dictionary spelling.

Besides whole phrases (`person`), a request is read from its parts, so that the
lists need not hold every way of saying it: a verb of reaching someone
(`contact`: "snakke med", "put me through to", "chatten met") followed within a
few words by a kind of person (`staff`: "medarbeider", "a member of staff",
"klantenservice"), or a kind of person called real (`real`: "ekte menneske",
"an actual person", "echte medewerker"), or the other way round, a kind of
person followed closely by the verb that ends the request ("finns det någon
handläggare jag kan chatta med?", "a member of staff I can talk to"). "Can
another person pick up my parcel?" names a person but asks for none, and "the
agent I spoke to" tells of one in the past tense, which no `contact` phrase has.

A callback request is a request for a person whose answer is a phone call: it
names *the customer* as the one to be called ("ring meg", "bel me", "call me
back"). Asking how to phone *us* ("what is your phone number?", "kan jeg ringe
dere på søndag?") names no such object and stays a question for the KB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.handoff.signals import find_folded, fold, folded_pattern, words
from bot.locale import words as words_of

# Asking for a person in so many words: counts in a message of any length.
REQUEST_HUMAN = folded_pattern(words_of("request.person"))

# Asking to be phoned: the customer is the one called ("me", "meg", "mig", "mij").
CALLBACK = folded_pattern(words_of("request.callback"))

# A bare "menneske!" or "kundtjänst" is a request; "När har kundtjänst öppet?" is a question.
REQUEST_NOUNS = folded_pattern(words_of("request.nouns"))
SHORT_REQUEST_WORDS = 3

# "kundeservice telefonnummer", "klantenservice openingstijden": a short question *about*
# customer service, not a request for it.
ABOUT_SERVICE = folded_pattern(words_of("request.about_service"))

_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?;\n]")
Phrase = tuple[str, ...]  # folded words; a last word ending in "*" matches any ending

CONTACT_REACH = 4  # "snakke med [en av dere fra] kundeservice": at most this many words between
REAL_REACH = 1  # "an actual [human] person", "en ekte [levende] person"
STAFF_FIRST_REACH = 3  # "handläggare [jag kan] chatta med", "a person [I could] talk to"


def _phrases(listed: Iterable[str]) -> list[Phrase]:
    phrases = []
    for text in listed:
        tokens = _TOKEN.findall(fold(text))
        if tokens and text.endswith("*"):
            tokens[-1] += "*"
        if tokens:
            phrases.append(tuple(tokens))
    return phrases


class Phrases:
    """Listed phrases, indexed by their first word: a message's words are looked up, not
    compared with every phrase (the lists hold up to a hundred phrases and a long message
    forty words: several ms a turn when every pair was tried)."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.phrases = phrases
        self._first: dict[str, list[tuple[int, Phrase]]] = {}
        self._prefixes: list[tuple[int, str, Phrase]] = []  # one-word phrases ending in "*"
        for order, phrase in enumerate(phrases):
            head = phrase[0]
            if head.endswith("*"):
                self._prefixes.append((order, head[:-1], phrase))
            else:
                self._first.setdefault(head, []).append((order, phrase))

    def starting_with(self, token: str) -> list[Phrase]:
        """The phrases whose first word `token` can be, in the order they were listed."""
        found = self._first.get(token, [])
        prefixed = [(o, p) for o, prefix, p in self._prefixes if token.startswith(prefix)]
        if prefixed:
            found = sorted([*found, *prefixed], key=lambda pair: pair[0])
        return [phrase for _, phrase in found]


CONTACT = Phrases(_phrases(words_of("request.contact")))
STAFF = Phrases(_phrases(words_of("request.staff")))
REAL = Phrases(_phrases(words_of("request.real")))


def _matches_at(tokens: list[str], start: int, phrase: Phrase) -> bool:
    if start + len(phrase) > len(tokens):
        return False
    for token, word in zip(tokens[start:], phrase, strict=False):
        if not (token.startswith(word[:-1]) if word.endswith("*") else token == word):
            return False
    return True


def _ends(tokens: list[str], phrases: Phrases) -> list[tuple[int, int]]:
    """(start, end) of every listed phrase found in `tokens`, by start, then listed order."""
    found = []
    for start, token in enumerate(tokens):
        for phrase in phrases.starting_with(token):
            if _matches_at(tokens, start, phrase):
                found.append((start, start + len(phrase)))
    return found


def _followed_by(text: str, first: Phrases, then: Phrases, reach: int) -> list[str]:
    """'<first phrase> ... <then phrase>' with at most `reach` words between, in one sentence
    ("... et ekte menneske. Kan jeg få snakke med ..." is two), as found."""
    folded = fold(text)
    spans = [m.span() for m in _TOKEN.finditer(folded)]
    tokens = [folded[a:b] for a, b in spans]
    second = {start: end for start, end in _ends(tokens, then)}
    found = []
    for start, end in _ends(tokens, first):
        for gap in range(reach + 1):
            at = end + gap
            if at in second and not _SENTENCE_END.search(folded, spans[end - 1][1], spans[at][0]):
                found.append(" ".join(tokens[start : second[at]]))
                break
    return found


def requests_person(text: str) -> list[str]:
    """Words asking for a person or a call: a phrase anywhere, or a bare noun in a short message."""
    found = find_folded(REQUEST_HUMAN, text) + find_folded(CALLBACK, text)
    found += _followed_by(text, CONTACT, STAFF, CONTACT_REACH)
    found += _followed_by(text, REAL, STAFF, REAL_REACH)
    found += _followed_by(text, STAFF, CONTACT, STAFF_FIRST_REACH)
    found = [w for w in dict.fromkeys(found) if not any(w != o and w in o for o in found)]
    if found or len(words(text)) > SHORT_REQUEST_WORDS or find_folded(ABOUT_SERVICE, text):
        return found
    return find_folded(REQUEST_NOUNS, text)


def asks_callback(text: str) -> list[str]:
    """The words with which the customer asked to be phoned back, if any."""
    return find_folded(CALLBACK, text)
