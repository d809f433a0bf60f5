"""Sentences customers write, for bench/pii_generate.py: {0}, {1}... are the generated values.

TEMPLATES: per language, (kinds, sentence) with personal data of those kinds.
NEGATIVES: per language, (sentence, makers) whose numbers are not personal data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

T = tuple[tuple[str, ...], str]

TEMPLATES: dict[str, list[T]] = {
    "en": [
        (("email",), "Hi, my email is {0}, can you send the receipt there?"),
        (("phone",), "Please call me back on {0} after 4pm"),
        (("card",), "I was charged twice on my card {0}, please refund"),
        (("iban",), "Refund to my account {0} please"),
        (("iban", "email"), "IBAN: {0} - confirmation to {1}"),
        (("fodselsnummer",), "They asked for my Norwegian national id number, it's {0}"),
        (("personnummer",), "my swedish personal number is {0}"),
        (("cpr",), "CPR {0} - why do you need it?"),
        (("bsn",), "Do you need my BSN? It is {0}."),
        (("henkilotunnus",), "My Finnish ID is {0}"),
        (("phone", "email"), "you can reach me at {0} or {1}"),
        (("card", "phone"), "card number {0}, phone {1}"),
        (("phone",), "{0} is my mobile, text me when it ships"),
        (("email",), "change my login from old@address to {0} pls"),
        (("fodselsnummer", "phone"), "id {0} and my number is {1}"),
        (("card",), "The payment with {0} failed three times!!"),
    ],
    "nb": [
        (("fodselsnummer",), "fødselsnummeret mitt er {0}"),
        (("fodselsnummer",), "Hei! Personnummer {0}, hvorfor er kontoen sperret?"),
        (("fodselsnummer", "phone"), "fnr {0}, ring meg på {1}"),
        (("phone",), "Kan dere ringe meg på {0}?"),
        (("phone",), "mobilnr {0} takk"),
        (("email",), "send det til {0}"),
        (("iban",), "Pengene kan settes inn på {0}"),
        (("card",), "kortet {0} ble trukket to ganger"),
        (("phone", "email"), "Nås på {0} eller {1} hele dagen"),
        (("cpr",), "jeg bor i Danmark, CPR-nummer {0}"),
        (("personnummer",), "svensk personnummer {0}, jeg bor i Oslo nå"),
        (("fodselsnummer",), "{0} er fødselsnummeret til sønnen min"),
        (("card", "email"), "Jeg betalte med {0} og fikk ingen kvittering på {1}"),
        (("iban", "phone"), "kontonummer/IBAN {0}, tlf {1}"),
        (("bsn",), "jeg har nederlandsk BSN {0} fra da jeg bodde der"),
        (("henkilotunnus",), "finsk personnummer: {0}"),
    ],
    "sv": [
        (("personnummer",), "mitt personnummer är {0}"),
        (("personnummer",), "Hej, pnr {0}. Varför fick jag en faktura?"),
        (("personnummer", "phone"), "personnummer {0}, ring mig på {1}"),
        (("phone",), "Ni kan nå mig på {0}"),
        (("phone",), "mitt mobilnummer: {0}"),
        (("email",), "skicka bekräftelsen till {0} tack"),
        (("iban",), "återbetala till {0}"),
        (("card",), "kortnummer {0}, det drogs dubbelt"),
        (("phone", "email"), "{0} eller {1}, vilket som"),
        (("personnummer",), "samordningsnummer {0}"),
        (("henkilotunnus",), "Jag är finsk medborgare, henkilötunnus {0}"),
        (("card", "phone"), "Betalade med {0}. Ring {1} om ni undrar"),
        (("iban", "email"), "IBAN {0}. Kvitto till {1}"),
        (("fodselsnummer",), "jag har norskt fødselsnummer {0}"),
        (("cpr",), "mitt danska CPR är {0}"),
        (("personnummer", "email"), "{0} är mitt personnummer och mejlen {1}"),
    ],
    "da": [
        (("cpr",), "mit cpr-nummer er {0}"),
        (("cpr",), "Hej, CPR nr. {0}, hvorfor er min konto lukket?"),
        (("cpr_post_2007",), "Min søns CPR er {0}"),
        (("cpr",), "{0} er mit personnummer"),
        (("phone",), "ring til mig på {0}"),
        (("phone",), "mit mobilnummer er {0}"),
        (("email",), "send det til {0}"),
        (("iban",), "pengene kan overføres til {0}"),
        (("card",), "mit kort {0} er blevet trukket to gange"),
        (("phone", "email"), "I kan fange mig på {0} eller {1}"),
        (("cpr", "phone"), "cpr {0} tlf {1}"),
        (("card", "email"), "Jeg betalte med {0}, kvittering til {1} tak"),
        (("iban", "phone"), "IBAN: {0}. Ring {1} hvis der er spørgsmål"),
        (("personnummer",), "jeg har et svensk personnummer: {0}"),
        (("cpr_post_2007", "email"), "cpr-nummer {0} og e-mail {1}"),
        (("fodselsnummer",), "norsk fødselsnummer {0}"),
    ],
    "nl": [
        (("bsn",), "mijn BSN is {0}"),
        (("bsn",), "Burgerservicenummer: {0}. Waarom moet ik dat geven?"),
        (("bsn", "phone"), "bsn {0}, bel me op {1}"),
        (("phone",), "Kunt u mij terugbellen op {0}?"),
        (("phone",), "mijn nummer is {0}"),
        (("email",), "stuur het naar {0} aub"),
        (("iban",), "Graag terugstorten op {0}"),
        (("card",), "mijn creditcard {0} is twee keer belast"),
        (("phone", "email"), "Ik ben bereikbaar op {0} of via {1}"),
        (("card", "phone"), "betaald met {0}, bel {1} als er iets is"),
        (("iban", "email"), "rekeningnummer {0}, bevestiging naar {1}"),
        (("bsn",), "{0} is mijn sofinummer"),
        (("henkilotunnus",), "Mijn Finse ID is {0}"),
        (("personnummer",), "Zweeds personnummer {0}"),
        (("phone",), "tel.: {0}"),
        (("bsn", "iban"), "BSN {0} en IBAN {1}, klopt dat?"),
    ],
}


def _digits(n: int) -> Callable[[Any], str]:
    def make(g: Any) -> str:
        r: random.Random = g.r
        return str(r.randrange(1, 10)) + "".join(r.choice("0123456789") for _ in range(n - 1))

    return make


def _pick(*options: str) -> Callable[[Any], str]:
    return lambda g: g.r.choice(options)


def _date(g: Any) -> str:
    d, m, y = g.r.randrange(1, 29), g.r.randrange(1, 13), g.r.randrange(2019, 2027)
    return g.r.choice(
        [
            f"{d:02d}.{m:02d}.{y}",
            f"{y}-{m:02d}-{d:02d}",
            f"{d}/{m}/{y % 100:02d}",
            f"{d:02d}-{m:02d}-{y}",
        ]
    )


def _price(g: Any) -> str:
    kr = g.r.randrange(49, 99999)
    return g.r.choice(
        [
            f"{kr:,}".replace(",", " ") + ",00 kr",
            f"kr {kr},-",
            f"€ {kr % 900},95",
            f"{kr} NOK",
            f"{kr:,}".replace(",", ".") + " SEK",
        ]
    )


def _tracking(g: Any) -> str:
    r = g.r
    return r.choice(
        [
            "70" + "".join(r.choice("0123456789") for _ in range(15)),
            "3707" + "".join(r.choice("0123456789") for _ in range(14)),
            "UA" + "".join(r.choice("0123456789") for _ in range(9)) + "SE",
            "JJD" + "".join(r.choice("0123456789") for _ in range(18)),
            "1Z" + "".join(r.choice("0123456789ABCDEFX") for _ in range(16)),
            "3SABCD" + "".join(r.choice("0123456789") for _ in range(7)),
        ]
    )


def _wrong_check(kind: str) -> Callable[[Any], str]:
    """A generated valid value with one digit changed (kept only if is_id() rejects it)."""

    def make(g: Any) -> str:
        value = getattr(g, kind)()
        positions = [i for i, c in enumerate(value) if c.isdigit()]
        i = positions[-1] if kind != "iban" else positions[1]
        digit = str((int(value[i]) + g.r.randrange(1, 10)) % 10)
        return value[:i] + digit + value[i + 1 :]

    return make


def _postcode(g: Any) -> str:
    return g.r.choice(
        [
            "0150 Oslo",
            "5003 Bergen",
            "114 55 Stockholm",
            "411 04 Göteborg",
            "2100 København Ø",
            "8000 Aarhus C",
            "1012 AB Amsterdam",
            "3511 LP Utrecht",
            "00100 Helsinki",
            "7030 Trondheim",
        ]
    )


def _product(g: Any) -> str:
    r = g.r
    return r.choice(
        [
            "".join(r.choice("0123456789") for _ in range(3))
            + "-"
            + "".join(r.choice("0123456789") for _ in range(2))
            + "-"
            + "".join(r.choice("0123456789") for _ in range(3)),
            "40" + "".join(r.choice("0123456789") for _ in range(11)),
            "57" + "".join(r.choice("0123456789") for _ in range(11)),
            "WX-"
            + "".join(r.choice("0123456789") for _ in range(4))
            + " "
            + "".join(r.choice("0123456789") for _ in range(4)),
            "".join(r.choice("0123456789") for _ in range(4))
            + "."
            + "".join(r.choice("0123456789") for _ in range(4)),
        ]
    )


def _invoice(g: Any) -> str:
    r = g.r
    n = "".join(r.choice("0123456789") for _ in range(5))
    return r.choice(
        [f"2024-{n}", f"INV-{n}{r.randrange(10, 99)}", f"F2025/{n}", f"1{n}{r.randrange(100, 999)}"]
    )


D = _digits
NEGATIVES: dict[str, list[tuple[str, list[Callable[[Any], str]]]]] = {
    "en": [
        ("Where is my order {0}?", [D(8)]),
        ("order #{0} hasn't arrived, tracking {1}", [D(6), _tracking]),
        ("invoice {0} is wrong, it says {1}", [_invoice, _price]),
        ("I ordered on {0} and paid {1}", [_date, _price]),
        ("deliver to {0} please, order number {1}", [_postcode, D(10)]),
        ("product code {0} is out of stock?", [_product]),
        ("my card {0} doesn't work", [_wrong_check("card")]),
        ("Refund to IBAN {0}", [_wrong_check("iban")]),
        ("customer number {0}, order {1}", [D(7), D(9)]),
        ("open 08.00-16.00? I called at 20.00-22.00 on {0}", [_date]),
    ],
    "nb": [
        ("Hvor er pakken min? Sporingsnummer {0}", [_tracking]),
        ("ordrenummer {0}, bestilt {1}", [D(8), _date]),
        ("Fakturanr {0} stemmer ikke, den sier {1}", [_invoice, _price]),
        ("varenummer {0} er utsolgt?", [_product]),
        ("kortet {0} ble avvist", [_wrong_check("card")]),
        ("fødselsnummer {0} sier dere er feil", [_wrong_check("fodselsnummer")]),
        ("Bestillingsnummer {0}. Leveres til {1}?", [D(9), _postcode]),
        ("ordre {0} og ordre {1} kom samtidig", [D(10), D(8)]),
        ("KID {0}, betalt {1}", [D(12), _date]),
        ("kundenummer {0} - hvorfor er prisen {1}?", [D(8), _price]),
    ],
    "sv": [
        ("Var är mitt paket? Kollinummer {0}", [_tracking]),
        ("ordernummer {0}, beställd {1}", [D(8), _date]),
        ("fakturanummer {0}, belopp {1}", [_invoice, _price]),
        ("artikelnummer {0} finns den i lager?", [_product]),
        ("kortet {0} nekades", [_wrong_check("card")]),
        ("personnummer {0} godtas inte", [_wrong_check("personnummer")]),
        ("beställning {0} skickas till {1}", [D(10), _postcode]),
        ("OCR {0}, betalade {1}", [D(11), _date]),
        ("kundnummer {0}, order {1}", [D(7), D(9)]),
        ("IBAN {0} fungerar inte", [_wrong_check("iban")]),
    ],
    "da": [
        ("Hvor er min pakke? Track & trace {0}", [_tracking]),
        ("ordrenummer {0}, bestilt {1}", [D(8), _date]),
        ("fakturanummer {0}, beløb {1}", [_invoice, _price]),
        ("varenummer {0} - er den på lager?", [_product]),
        ("mit kort {0} blev afvist", [_wrong_check("card")]),
        ("ordre {0} skal til {1}", [D(10), _postcode]),
        ("kundenummer {0}, ordre {1}", [D(8), D(9)]),
        ("IBAN {0} virker ikke", [_wrong_check("iban")]),
        ("bestilling {0} den {1}", [D(9), _date]),
        ("pris {0} på vare {1}", [_price, _product]),
    ],
    "nl": [
        ("Waar is mijn pakket? Track & trace {0}", [_tracking]),
        ("bestelnummer {0}, besteld op {1}", [D(8), _date]),
        ("factuur {0} klopt niet, bedrag {1}", [_invoice, _price]),
        ("artikelnummer {0} niet leverbaar?", [_product]),
        ("mijn kaart {0} werd geweigerd", [_wrong_check("card")]),
        ("BSN {0} wordt niet geaccepteerd", [_wrong_check("bsn")]),
        ("bestelling {0} naar {1}", [D(9), _postcode]),
        ("klantnummer {0}, order {1}", [D(8), D(10)]),
        ("IBAN {0} werkt niet", [_wrong_check("iban")]),
        ("zending {0} kwam op {1}", [D(10), _date]),
    ],
}
