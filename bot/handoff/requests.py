"""Asking for a person, or to be phoned back, in so many words (en, nb, sv, da, nl).

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

# Asking for a person in so many words: counts in a message of any length.
REQUEST_HUMAN = folded_pattern(
    [
        # en
        "talk to someone",
        "speak to someone",
        "talk to a person",
        "speak to a person",
        "real person",
        "a human",
        "human please",
        "human being",
        "talk to a human",
        "speak to a human",
        "live agent",
        "agent please",
        "customer service rep*",
        "someone real",
        "talk to somebody",
        "speak with someone",
        "speak with a person",
        "connect me to",
        "transfer me",
        "talk to an agent",
        "speak to an agent",
        # nb
        "et menneske",
        "snakke med en person",
        "snakke med noen",
        "ekte person",
        "sett meg over",
        "prate med en person",
        "snakke med et menneske",
        "snakke med kundeservice",
        "snakke med en ansatt",
        # sv
        "prata med en människa",
        "prata med någon",
        "riktig person",
        "koppla mig",
        "prata med en person",
        "prata med kundtjänst",
        "en riktig människa",
        # da
        "tale med en person",
        "snakke med et menneske",
        "rigtigt menneske",
        "stil mig videre",
        "tale med nogen",
        "tale med en medarbejder",
        "snakke med en person",
        # nl
        "met een mens",
        "echte mens",
        "echt persoon",
        "een echt mens",
        "iemand spreken",
        "met iemand praten",
        "doorverbinden",
        "verbind me door",
        "medewerker spreken",
        "met een medewerker",
        "medewerker praten",
    ]
)

# Asking to be phoned: the customer is the one called ("me", "meg", "mig", "mij").
CALLBACK = folded_pattern(
    [
        # en
        "call me",
        "call me back",
        "cal me",
        "calll me",
        "ring me",
        "phone me",
        "give me a call",
        "give me a ring",
        "callback",
        "call-back",
        "a call back",
        "call back request",
        "get a call",
        "receive a call",
        "contact me by phone",
        "reach me by phone",
        "calling me back",
        # nb
        "ring meg",
        "ringe meg",
        "ringer meg",
        "ringe me",
        "ringe mæ",
        "ringe til meg",
        "ring til meg",
        "ringt opp",
        "bli oppringt",
        "ringes opp",
        "oppringing",
        "oppringning",
        "tilbakeringing",
        "ringe tilbake",
        "kontakte meg på telefon",
        "ta kontakt med meg på telefon",
        # sv
        "ring mig",
        "ringa mig",
        "ringer mig",
        "ring mej",
        "ringa mej",
        "ringa upp mig",
        "ringa upp mej",
        "ring upp mig",
        "ringer upp mig",
        "ringa till mig",
        "ring till mig",
        "ringa tillbaka",
        "bli uppringd",
        "uppringning",
        "uppringd",
        "återuppringning",
        "kontakta mig på telefon",
        # da
        "ringe mig",
        "ring mig op",
        "ringe mig op",
        "ringe til mig",
        "ringe tilbage",
        "ringer tilbage",
        "blive ringet op",
        "ringes op",
        "ringes tilbage",
        "ringet op",
        "opringning",
        "kontakte mig telefonisk",
        # nl
        "bel me",
        "bel mij",
        "belt me",
        "belt mij",
        "bellen me",
        "me bellen",
        "mij bellen",
        "me opbellen",
        "mij opbellen",
        "me terugbellen",
        "mij terugbellen",
        "terugbellen",
        "terug bellen",
        "terugbel*",
        "teruggebeld",
        "gebeld worden",
        "telefonisch contact met mij",
        "jullie me terug",
        "jullie mij terug",
        "u mij terug",
    ]
)

# A bare "menneske!" or "kundtjänst" is a request; "När har kundtjänst öppet?" is a question.
REQUEST_NOUNS = folded_pattern(
    [
        "human",
        "person",
        "agent",
        "operator",
        "representative",
        "menneske",
        "kundeservice",
        "kundebehandler",
        "saksbehandler",
        "människa",
        "kundtjänst",
        "handläggare",
        "medarbejder",
        "medewerker",
        "klantenservice",
        "mens",
    ]
)
SHORT_REQUEST_WORDS = 3

# "kundeservice telefonnummer", "klantenservice openingstijden": a short question *about*
# customer service, not a request for it.
ABOUT_SERVICE = folded_pattern(
    [
        "phone*",
        "telephone*",
        "number",
        "e-mail*",
        "email*",
        "mail",
        "address*",
        "hours",
        "open*",
        "telefon*",
        "nummer*",
        "tlf",
        "tel",
        "e-post*",
        "epost*",
        "adress*",
        "adresse*",
        "åpningstid*",
        "öppettid*",
        "åbningstid*",
        "openingstijd*",
        "telefoonnummer*",
        "bereikbaar*",
    ]
)


def requests_person(text: str) -> list[str]:
    """Words asking for a person or a call: a phrase anywhere, or a bare noun in a short message."""
    found = find_folded(REQUEST_HUMAN, text) + find_folded(CALLBACK, text)
    if found or len(words(text)) > SHORT_REQUEST_WORDS or find_folded(ABOUT_SERVICE, text):
        return found
    return find_folded(REQUEST_NOUNS, text)


def asks_callback(text: str) -> list[str]:
    """The words with which the customer asked to be phoned back, if any."""
    return find_folded(CALLBACK, text)
