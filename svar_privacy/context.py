"""The words just before a number, which tell an order number from a phone number.

Numbers with a strong check (fødselsnummer, card, IBAN, henkilötunnus, a personnummer
with its century) are masked whatever the words around them. Weak ones, a phone
number (no check at all), a BSN or a 10-digit personnummer/CPR (one check digit, or
a date), are left alone when the nearest keyword before them names something that
is not personal data ("ordrenummer 12345678", "factuur 123456782"), and an id
keyword decides the cases that need one (a CPR without modulus 11).
Only a fixed number of characters before the number is read, so this stays linear.
"""

from __future__ import annotations

import re

LOOKBACK = 48

# Order, tracking, invoice, customer, product, postcode, case and price words (en, nb, sv, da, nl).
_NOT_PERSONAL = (
    r"ord(?:re|er)\w*|bestill\w*|beställ\w*|bestel\w*|purchase|"
    r"faktur\w*|factu\w*|invoice\w*|kvitt\w*|receipt|bon(?:nummer)?|"
    r"track\w*|trace|spor(?:ing)?\w*|spårning\w*|kolli\w*|zending\w*|sendings?\w*|"
    r"forsendelse\w*|shipment|parcel|pakke\w*|paket\w*|pakket\w*|"
    r"kunde(?:nummer|nr|-?id)\w*|kund(?:nummer|nr)\w*|klant\w*|customer|"
    r"artik\w*|vare\w*|product\w*|produkt\w*|sku|ean|model\w*|serie\w*|serial|"
    r"post(?:nummer|nr|code|kode)\w*|zip|kid|ocr|saks\w*|ärende\w*|zaak\w*|case|ticket|"
    r"ref\.?|refnr|referan\w*|referen\w*|"
    r"kr\.?|nok|sek|dkk|eur|euro|usd|pris\w*|price|prijs\w*|beløp\w*|belopp\w*|bedrag\w*|[€$£#]"
)
_PHONE = (
    r"ring\w*|tlf\.?|tel\.?|telefo\w*|phone\w*|mobil\w*|mobiel\w*|call\w*|"
    r"bel|bellen|belt|sms|whatsapp|nås|reach|bereikbaar\w*"
)
_ID = (
    r"cpr\w*|personn(?:ummer|r)\w*|pnr|samordningsnummer\w*|fødselsn(?:ummer|r)\w*|fnr|"
    r"d-nummer\w*|bsn|burgerservicenummer\w*|sofi\w*|henkilötunnus\w*|hetu|"
    r"personbeteckning\w*|ssn|social"
)
_KEYWORD = re.compile(
    rf"(?:(?P<not_personal>{_NOT_PERSONAL})|(?P<phone>{_PHONE})|(?P<id>{_ID}))(?:[-.]\w+)?\.?",
    re.IGNORECASE,
)
# Words (with an inner "-" or "." as in "cpr-nr", "tel."), and the signs for money or "number".
_TOKEN = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)?\.?|[€$£#]")
_CPR = re.compile(r"(?<!\w)cpr", re.IGNORECASE)
# An amount: a currency, or decimals ("20 000 000,00", "1 299,-").
_CURRENCY_AFTER = re.compile(
    r",[\d-]|\s?(?:kr\b|kroner|kronor|nok\b|sek\b|dkk\b|eur\b|euro|€)", re.IGNORECASE
)


def nearest_keyword(text: str, start: int) -> str | None:
    """'not_personal', 'phone' or 'id': the kind of the last keyword before `start`."""
    window = text[max(0, start - LOOKBACK) : start]
    for token in reversed(_TOKEN.findall(window)):
        match = _KEYWORD.fullmatch(token)
        if match:
            return match.lastgroup
    return None


def says_cpr(text: str, start: int) -> bool:
    """The customer called it a CPR number just before it."""
    return _CPR.search(text, max(0, start - LOOKBACK), start) is not None


def currency_follows(text: str, end: int) -> bool:
    """A currency or a decimal comma (",50", ",-") right after the number: an amount, not an id."""
    return _CURRENCY_AFTER.match(text, end, end + 8) is not None
