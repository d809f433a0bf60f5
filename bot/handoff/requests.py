"""Asking for a person, or to be phoned back, in so many words (`request` in signals.yml).

Rasa's `request_human` intent catches most requests; these word lists are the
second, explainable net, and the only one `bot handoff eval` sees. Phrases are
matched on *folded* text (casefolded, accents and ø/æ spelled plainly), because
customers without a Nordic keyboard write "manniska", "tilbake" and "ringa upp
mej" just as often as the dictionary spelling.

A callback request is a request for a person whose answer is a phone call: it
names *the customer* as the one to be called ("ring meg", "bel me", "call me
back"). Asking how to phone *us* ("what is your phone number?", "kan jeg ringe
dere på søndag?") names no such object and stays a question for the KB.
"""

from __future__ import annotations

from bot.handoff.signals import find_folded, folded_pattern, words
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


def requests_person(text: str) -> list[str]:
    """Words asking for a person or a call: a phrase anywhere, or a bare noun in a short message."""
    found = find_folded(REQUEST_HUMAN, text) + find_folded(CALLBACK, text)
    if found or len(words(text)) > SHORT_REQUEST_WORDS or find_folded(ABOUT_SERVICE, text):
        return found
    return find_folded(REQUEST_NOUNS, text)


def asks_callback(text: str) -> list[str]:
    """The words with which the customer asked to be phoned back, if any."""
    return find_folded(CALLBACK, text)
