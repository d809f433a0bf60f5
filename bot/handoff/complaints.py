"""What a complaint is about and what the customer wants, from their own words."""

from __future__ import annotations

from bot.handoff.signals import find, pattern

CATEGORIES = {
    "delivery": pattern(
        [
            "deliver*",
            "driver",
            "parcel",
            "package",
            "late",
            "levering*",
            "pakke*",
            "sjåfør",
            "leverans*",
            "paket*",
            "bud",
            "forsinket",
            "försenad",
            "bezorg*",
            "pakket*",
            "laat",
        ]
    ),
    "product": pattern(
        [
            "broken",
            "defect*",
            "faulty",
            "quality",
            "ødelagt",
            "defekt*",
            "kvalitet*",
            "trasig",
            "itu",
            "kapot",
            "kwaliteit",
            "gebrekkig",
        ]
    ),
    "billing": pattern(
        [
            "charged",
            "invoice",
            "refund*",
            "payment",
            "money",
            "faktura*",
            "betaling*",
            "trukket",
            "penger",
            "pengar",
            "penge",
            "refusjon",
            "återbetalning",
            "factuur",
            "betaling",
            "geld",
            "terugbetaling",
            "dragit",
        ]
    ),
    "staff": pattern(
        [
            "rude",
            "staff",
            "employee",
            "unfriendly",
            "frekk",
            "uhøflig",
            "ansatt*",
            "otrevlig",
            "personal",
            "personalet",
            "uhøflig",
            "medarbejder*",
            "onbeleefd",
            "personeel",
            "medewerker",
            "store",
            "butikk*",
            "butik*",
            "winkel",
        ]
    ),
}

WANTS = {
    "refund": pattern(
        [
            "refund*",
            "money back",
            "pengene tilbake",
            "pengarna tillbaka",
            "pengene tilbage",
            "geld terug",
            "terugbetaling",
            "refusjon",
            "återbetalning",
        ]
    ),
    "replacement": pattern(
        [
            "replacement",
            "replace",
            "new one",
            "ny en",
            "erstatning",
            "ersättning",
            "ny vara",
            "en ny",
            "nieuwe",
            "vervanging",
            "omruilen",
        ]
    ),
    "apology": pattern(
        ["apology", "apologise", "apologize", "unnskyldning", "ursäkt", "undskyldning", "excuses"]
    ),
    "compensation": pattern(
        ["compensation", "kompensasjon", "kompensation", "compensatie", "vergoeding", "erstatning"]
    ),
}


def category(text: str) -> str:
    best, hits = "other", 0
    for name, words in CATEGORIES.items():
        count = len(find(words, text))
        if count > hits:
            best, hits = name, count
    return best


def wants(text: str) -> str | None:
    for name, words in WANTS.items():
        if find(words, text):
            return name
    return None
