"""What a run of digits is: a national id, a card number, a phone number, or nothing.

Check digits come from python-stdnum; the rules here are about shape (how many
digits, how they are grouped) and the words before the number (`context`).

Notes a data-protection officer will ask about:

- Danish CPR: stdnum checks the embedded birth date. Modulus 11 held for every CPR
  number until 2007; since then numbers without it are issued for birth dates whose
  modulus-11 numbers ran out. So a 10-digit number with a valid date is a CPR when it
  passes modulus 11, or, failing it, when the customer calls it a CPR number
  ("CPR", "cpr-nr") just before it. A post-2007 number typed with no such word is
  not recognized: without a check digit it cannot be told from an order number.
- Swedish samordningsnummer: the birth day plus 60. stdnum's personnummer rejects
  the day, so the date is checked with 60 taken off and the Luhn digit (stdnum.luhn)
  on the number as written.
- Payment cards: Luhn plus the issuer ranges and lengths below (13-digit Visa is
  left out: no such card is issued any more, and EAN-13 product codes look like it).
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import luhn
from stdnum.dk import cpr
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from svar_privacy import context

# (prefix range low, high, lengths) for card issuers, by the first digits.
_CARD_RANGES: tuple[tuple[int, int, tuple[int, ...]], ...] = (
    (4, 4, (16, 19)),  # Visa, Visa/Dankort
    (51, 55, (16,)),  # Mastercard
    (2221, 2720, (16,)),  # Mastercard 2-series
    (34, 34, (15,)),  # American Express
    (37, 37, (15,)),
    (36, 36, (14,)),  # Diners Club International
    (300, 305, (14,)),
    (38, 39, (14, 16)),
    (6011, 6011, (16, 19)),  # Discover
    (644, 649, (16, 19)),
    (65, 65, (16, 19)),
    (3528, 3589, (16, 17, 18, 19)),  # JCB
    (62, 62, (16, 17, 18, 19)),  # UnionPay
    (5019, 5019, (16,)),  # Dankort
    (5018, 5018, (16, 17, 18, 19)),  # Maestro
    (5020, 5020, (16, 17, 18, 19)),
    (5038, 5038, (16, 17, 18, 19)),
    (5893, 5893, (16, 17, 18, 19)),
    (6304, 6304, (16, 17, 18, 19)),
    (6759, 6759, (16, 17, 18, 19)),
    (6761, 6763, (16, 17, 18, 19)),
)

# Country calling code → lengths of the national number (without a trunk 0).
_COUNTRY_LENGTHS: dict[str, tuple[int, int]] = {
    "47": (8, 8),
    "46": (7, 9),
    "45": (8, 8),
    "358": (5, 10),
    "31": (9, 9),
    "354": (7, 7),
    "298": (6, 6),
    "299": (6, 6),
    "44": (9, 10),
    "49": (6, 13),
    "1": (10, 10),
    "33": (9, 9),
    "34": (9, 9),
    "32": (8, 9),
    "41": (9, 9),
    "48": (9, 9),
}


@dataclass(frozen=True)
class Window:
    """Consecutive digit groups of one run: "912 34 567" is ("912", "34", "567")."""

    groups: tuple[str, ...]
    separators: tuple[str, ...]  # between the groups
    plus: bool  # written with a leading "+"
    text: str  # the whole message
    start: int
    end: int

    @property
    def digits(self) -> str:
        """The groups' digits without separators."""
        return "".join(self.groups)

    @property
    def shape(self) -> tuple[int, ...]:
        """The groups' lengths, e.g. (6, 5) for a fødselsnummer written "010170 12345"."""
        return tuple(len(g) for g in self.groups)


def classify(window: Window) -> str | None:
    """The kind of personal data this window holds, or None."""
    digits = window.digits
    if window.plus:
        return "phone" if _international_phone(window) else None
    if digits.startswith("00") and _international_phone(window):  # 0047 ..., unless an order
        keyword = context.nearest_keyword(window.text, window.start)
        return None if keyword == "not_personal" else "phone"
    if _looks_like_date(window):
        return None
    n = len(digits)
    strong = _strong_kind(window, n)
    if strong:
        return strong
    keyword = context.nearest_keyword(window.text, window.start)
    if keyword == "not_personal" or context.currency_follows(window.text, window.end):
        return None
    if n == 10:
        return _ten_digits(window, keyword)
    if n == 9 and digits[0] != "0" and bsn.is_valid(digits):
        return "bsn"
    if _national_phone(window, keyword):
        return "phone"
    return None


def _strong_kind(window: Window, n: int) -> str | None:
    digits = window.digits
    if n == 11 and fodselsnummer.is_valid(digits):
        return "fodselsnummer"
    if n == 12 and digits[:2] in ("19", "20") and window.shape in ((12,), (8, 4)):
        return "personnummer" if _swedish(digits) else None  # with century: date and Luhn
    if 14 <= n <= 19 and _card(digits):
        return "card"
    return None


def _ten_digits(window: Window, keyword: str | None) -> str | None:
    digits = window.digits
    id_shape = window.shape in ((10,), (6, 4))
    swedish = id_shape and _swedish(digits)
    danish = id_shape and cpr.is_valid(digits)
    danish_mod11 = danish and cpr.checksum(digits) == 0
    if digits[0] == "0" and window.shape != (6, 4) and keyword != "id":
        return "phone"  # 070-123 45 67, 06-12345678: masked either way, typed as a phone
    if danish and (context.says_cpr(window.text, window.start) or (danish_mod11 and not swedish)):
        return "cpr"
    if swedish:
        return "personnummer"
    if danish_mod11:
        return "cpr"
    if window.shape != (6, 4) and _national_phone(window, keyword):  # 6-4 is an id's shape
        return "phone"
    return None


def _swedish(digits: str) -> bool:
    """Personnummer, or samordningsnummer (birth day + 60), with or without century."""
    if personnummer.is_valid(digits):
        return True
    day_at = 6 if len(digits) == 12 else 4
    day = int(digits[day_at : day_at + 2])
    if not 61 <= day <= 91:
        return False
    as_birth = f"{digits[:day_at]}{day - 60:02d}{digits[day_at + 2 :]}"
    try:
        personnummer.get_birth_date(as_birth)
    except Exception:  # stdnum raises its ValidationError, or ValueError on odd input
        return False
    return luhn.is_valid(digits[-10:])


def _card(digits: str) -> bool:
    if not luhn.is_valid(digits):
        return False
    for low, high, lengths in _CARD_RANGES:
        width = len(str(low))
        if low <= int(digits[:width]) <= high and len(digits) in lengths:
            return True
    return False


def _international_phone(window: Window) -> bool:
    digits = window.digits[2:] if window.digits.startswith("00") else window.digits
    groups = list(window.groups)
    # "+31 (0)20 ...": the trunk 0 is not dialled from abroad.
    if len(groups) > 2 and groups[1] == "0":
        digits = digits[: len(groups[0])] + digits[len(groups[0]) + 1 :]
    for width in (1, 2, 3):
        lengths = _COUNTRY_LENGTHS.get(digits[:width])
        if lengths:
            return lengths[0] <= len(digits) - width <= lengths[1]
    return 8 <= len(digits) <= 15 and digits[0] != "0"


def _national_phone(window: Window, keyword: str | None) -> bool:
    digits = window.digits
    n = len(digits)
    if n == 8:  # Norway, Denmark: no trunk prefix, first digit 2-9
        return digits[0] in "23456789"
    if n in (9, 10) and digits[0] == "0" and digits[1] != "0":  # Sweden, Finland, Netherlands
        return True
    return keyword == "phone" and 7 <= n <= 12


def _looks_like_date(window: Window) -> bool:
    """17.05.2024, 2024-05-17, 17/5/24, and times such as 20.00-22.00."""
    groups = window.groups
    if len(groups) == 4 and window.shape == (2, 2, 2, 2) and "." in window.separators:
        return True
    if len(groups) != 3 or not set(window.separators) <= {".", "-", "/"}:
        return False
    if len(groups[0]) == 4:
        year, month, day = groups
    else:
        day, month, year = groups
    if len(day) > 2 or len(month) > 2 or len(year) not in (2, 4):
        return False
    century_ok = len(year) == 2 or year[:2] in ("19", "20")
    return century_ok and 1 <= int(month) <= 12 and 1 <= int(day) <= 31
