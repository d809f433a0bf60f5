"""Write data/eval/pii.yml: customers' messages with generated personal data, and hard negatives.

    .venv/bin/python -m bench.pii_generate [--out data/eval/pii.yml] [--seed 14]

Every id, IBAN and card number is random and made valid by python-stdnum (check digits
are found by trying candidates against stdnum, never computed here), so no real
person's number is in the set. Negatives are numbers that are not personal data:
order, tracking and invoice numbers, dates, prices, postcodes, product codes, and
id-, IBAN- and card-shaped strings whose check digit is wrong, kept only if no
stdnum check in the set accepts them as any kind of id. A bare 8-digit number with
no words around it is not used as a negative: a Norwegian or Danish phone number
looks exactly like that, and a masker should mask it.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import yaml
from stdnum import iban, luhn, numdb
from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from bench.pii_templates import NEGATIVES, TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "eval" / "pii.yml"
LANGS = ("en", "nb", "sv", "da", "nl")
HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


class Gen:
    """Random valid values, each in one of the ways customers write it."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def birth(self, first: int = 1940, last: int = 2006) -> date:
        start = date(first, 1, 1)
        return start + timedelta(days=self.r.randrange((date(last, 12, 31) - start).days))

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def fodselsnummer(self) -> str:
        while True:
            born = self.birth()
            day = born.day + (40 if self.r.random() < 0.2 else 0)  # D-nummer
            individual = (
                self.r.randrange(0, 500) if born.year < 2000 else self.r.randrange(500, 1000)
            )
            base = f"{day:02d}{born:%m%y}{individual:03d}"
            for c1 in "0123456789":
                for c2 in "0123456789":
                    if fodselsnummer.is_valid(base + c1 + c2):
                        return self._layout(base + c1 + c2, [(6, 5), (11,), (6, 5), (2, 2, 2, 5)])
            # no check digits fit this base (about one in ten): draw again

    def personnummer(self) -> str:
        while True:
            born = self.birth()
            day = born.day + (60 if self.r.random() < 0.15 else 0)  # samordningsnummer
            serial = self.digits(3)
            base = f"{born:%y%m}{day:02d}{serial}"
            number = base + luhn.calc_check_digit(base)
            century = f"{born:%Y}"[:2]
            if day <= 31 and not personnummer.is_valid(number):
                continue
            style = self.r.choice(
                ["short-dash", "short-dash", "long-dash", "long", "short", "space"]
            )
            if style == "short-dash":
                return f"{number[:6]}-{number[6:]}"
            if style == "long-dash":
                return f"{century}{number[:6]}-{number[6:]}"
            if style == "long":
                return century + number
            if style == "space":
                return f"{number[:6]} {number[6:]}"
            return number

    def cpr(self) -> str:
        while True:
            born = self.birth()
            # Seventh digit 0-3: born in the 1900s (stdnum's century rule).
            serial = str(self.r.randrange(0, 4)) + self.digits(3)
            number = f"{born:%d%m%y}{serial}"
            if cpr.is_valid(number) and cpr.checksum(number) == 0:
                return self._layout(number, [(6, 4), (6, 4), (10,), (6, 4, " ")])

    def cpr_post_2007(self) -> str:
        """A CPR number that fails modulus 11 (issued since 2007): only with the word CPR."""
        while True:
            born = self.birth(2008, 2020)
            number = f"{born:%d%m%y}4{self.digits(3)}"
            if cpr.is_valid(number) and cpr.checksum(number) != 0:
                return self._layout(number, [(6, 4), (10,)])

    def bsn(self) -> str:
        while True:
            number = str(self.r.randrange(1, 10)) + self.digits(8)
            if bsn.is_valid(number):
                return self._layout(number, [(9,), (9,), (4, 2, 3, "."), (3, 3, 3, " ")])

    def henkilotunnus(self) -> str:
        while True:
            born = self.birth(1940, 2010)
            sign = "-" if born.year < 2000 else self.r.choice("AABCDEF")
            base = f"{born:%d%m%y}{sign}{self.r.randrange(2, 900):03d}"
            for check in HETU_CHARS:
                if hetu.is_valid(base + check):
                    return base + check

    def iban(self) -> str:
        while True:
            country = self.r.choice(IBAN_COUNTRIES)
            structure = IBAN_STRUCTURES[country]
            bban = "".join(self._struct_chars(structure))
            number = f"{country}{iban.calc_check_digits(country + '00' + bban)}{bban}"
            if iban.is_valid(number):
                style = self.r.random()
                if style < 0.6:
                    return iban.format(number)
                if style < 0.9:
                    return number
                return iban.format(number).lower() if style < 0.95 else number.lower()

    def card(self) -> str:
        prefix, length, layout = self.r.choice(CARD_KINDS)
        while True:
            body = str(prefix) + self.digits(length - len(str(prefix)) - 1)
            number = body + luhn.calc_check_digit(body)
            if luhn.is_valid(number):
                sep = self.r.choice([" ", " ", "-", ""])
                if layout == "amex":
                    return sep.join([number[:4], number[4:10], number[10:]])
                return sep.join(number[i : i + 4] for i in range(0, len(number), 4))

    def email(self) -> str:
        first = self.r.choice(FIRST_NAMES)
        last = self.r.choice(LAST_NAMES)
        local = self.r.choice(
            [
                f"{first}.{last}",
                f"{first}{last}",
                f"{first[0]}{last}",
                f"{first}_{last}",
                f"{first}.{last}{self.r.randrange(1, 99)}",
                f"{first}+shop",
            ]
        )
        return f"{local}@{self.r.choice(DOMAINS)}"

    def phone(self) -> str:
        return self.r.choice(PHONE_FORMATS)(self)

    def _layout(self, number: str, layouts: list[tuple[object, ...]]) -> str:
        layout = self.r.choice(layouts)
        sizes = [x for x in layout if isinstance(x, int)]
        sep = next((x for x in layout if isinstance(x, str)), self.r.choice([" ", "-", " "]))
        if sizes == [2, 2, 2, 5]:
            return f"{number[:2]}.{number[2:4]}.{number[4:6]} {number[6:]}"
        parts, at = [], 0
        for size in sizes:
            parts.append(number[at : at + size])
            at += size
        return str(sep).join(parts)

    def _struct_chars(self, structure: str) -> list[str]:
        out = []
        for count, kind in _STRUCT.findall(structure):
            chars = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}.get(
                kind, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            )
            out += [self.r.choice(chars) for _ in range(int(count))]
        return out


def _phone_no(g: Gen) -> str:
    n = g.r.choice("49") + g.digits(7)
    return g.r.choice(
        [
            f"{n[:3]} {n[3:5]} {n[5:]}",
            f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
            n,
            f"+47 {n[:3]} {n[3:5]} {n[5:]}",
            f"+47{n}",
            f"0047 {n}",
            f"{n[:3]}.{n[3:5]}.{n[5:]}",
        ]
    )


def _phone_se(g: Gen) -> str:
    n = "7" + g.r.choice("0236") + g.digits(7)
    return g.r.choice(
        [
            f"0{n[:2]}-{n[2:5]} {n[5:7]} {n[7:]}",
            f"0{n}",
            f"+46 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
            f"0{n[:2]}-{n[2:]}",
            f"08-{g.digits(3)} {g.digits(3)} {g.digits(2)}".replace("08-0", "08-5"),
        ]
    )


def _phone_dk(g: Gen) -> str:
    n = g.r.choice("2345678") + g.digits(7)
    return g.r.choice(
        [
            f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
            n,
            f"+45 {n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
            f"+45{n}",
            f"{n[:4]} {n[4:]}",
        ]
    )


def _phone_nl(g: Gen) -> str:
    n = g.digits(8)
    area = g.r.choice(["20", "10", "30", "70", "40"])
    land = str(g.r.randrange(2, 10)) + g.digits(6)
    return g.r.choice(
        [
            f"06-{n}",
            f"06 {n[:4]} {n[4:]}",
            f"+31 6 {n}",
            f"+31 (0)6 {n}",
            f"06{n}",
            f"0{area}-{land}",
            f"+31 {area} {land[:3]} {land[3:]}",
            f"06.{n[:2]}.{n[2:4]}.{n[4:6]}.{n[6:]}",
        ]
    )


def _phone_fi(g: Gen) -> str:
    n = g.r.choice(["40", "41", "44", "50"]) + g.digits(7)
    return g.r.choice([f"0{n[:2]} {n[2:5]} {n[5:]}", f"+358 {n[:2]} {n[2:]}", f"0{n}"])


def _phone_intl(g: Gen) -> str:
    return g.r.choice(
        [
            f"+44 20 {g.r.randrange(7000, 8999)} {g.digits(4)}",
            f"+44 7{g.digits(3)} {g.digits(6)}",
            f"+1 {g.r.randrange(201, 989)} {g.r.randrange(200, 999)} {g.digits(4)}",
            f"+1 ({g.r.randrange(201, 989)}) {g.r.randrange(200, 999)}-{g.digits(4)}",
            f"+49 30 {g.r.randrange(1, 9)}{g.digits(7)}",
            f"+33 6 {g.digits(2)} {g.digits(2)} {g.digits(2)} {g.digits(2)}",
        ]
    )


PHONE_FORMATS: list[Callable[[Gen], str]] = [
    _phone_no,
    _phone_no,
    _phone_se,
    _phone_se,
    _phone_dk,
    _phone_nl,
    _phone_nl,
    _phone_fi,
    _phone_intl,
]
CARD_KINDS = [
    (4, 16, "4"),
    (4, 16, "4"),
    (4571, 16, "4"),
    (51, 16, "4"),
    (55, 16, "4"),
    (2221, 16, "4"),
    (2720, 16, "4"),
    (34, 15, "amex"),
    (37, 15, "amex"),
    (6011, 16, "4"),
    (5019, 16, "4"),
    (3530, 16, "4"),
    (62, 16, "4"),
    (4, 19, "4"),
]
IBAN_COUNTRIES = [
    "NO",
    "NO",
    "SE",
    "SE",
    "DK",
    "DK",
    "NL",
    "NL",
    "FI",
    "DE",
    "GB",
    "FR",
    "ES",
    "BE",
    "PL",
    "IE",
    "IT",
    "AT",
    "CH",
    "LU",
    "PT",
    "EE",
    "LT",
    "IS",
]
IBAN_STRUCTURES = {
    line.split()[0]: line.split('bban="')[1].split('"')[0]
    for line in (Path(numdb.__file__).parent / "iban.dat").read_text().splitlines()
    if 'bban="' in line
}
_STRUCT = __import__("re").compile(r"(\d+)!([nac])")
FIRST_NAMES = [
    "kari",
    "ola",
    "anna",
    "erik",
    "lars",
    "sofie",
    "jan",
    "mette",
    "piet",
    "sanne",
    "emma",
    "johan",
    "ingrid",
    "mikkel",
    "daan",
    "lotte",
    "astrid",
    "bjorn",
    "freja",
    "noah",
]
LAST_NAMES = [
    "nordmann",
    "hansen",
    "andersson",
    "johansson",
    "nielsen",
    "jensen",
    "devries",
    "jansen",
    "berg",
    "lindqvist",
    "olsen",
    "bakker",
    "larsen",
    "persson",
    "visser",
    "dahl",
]
DOMAINS = [
    "gmail.com",
    "hotmail.com",
    "online.no",
    "telia.com",
    "outlook.dk",
    "ziggo.nl",
    "kpnmail.nl",
    "yahoo.se",
    "live.dk",
    "firma.no",
    "posteo.de",
    "icloud.com",
    "mail.bedrift.no",
    "xs4all.nl",
]

KINDS: dict[str, Callable[[Gen], str]] = {
    "fodselsnummer": Gen.fodselsnummer,
    "personnummer": Gen.personnummer,
    "cpr": Gen.cpr,
    "cpr_post_2007": Gen.cpr_post_2007,
    "bsn": Gen.bsn,
    "henkilotunnus": Gen.henkilotunnus,
    "iban": Gen.iban,
    "card": Gen.card,
    "email": Gen.email,
    "phone": Gen.phone,
}


def positives(g: Gen, per_template: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for lang, kinds_templates in TEMPLATES.items():
        for kinds, template in kinds_templates:
            for _ in range(per_template):
                values = [KINDS[k](g) for k in kinds]
                text = template.format(*values)
                pii = [
                    {"type": k.removesuffix("_post_2007"), "value": v}
                    for k, v in zip(kinds, values, strict=True)
                ]
                out.append({"lang": lang, "text": text, "pii": pii})
    return out


def negatives(g: Gen, per_template: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for lang, templates in NEGATIVES.items():
        for template, makers in templates:
            for _ in range(per_template):
                values = [_not_personal(g, m) for m in makers]
                out.append({"lang": lang, "text": template.format(*values), "pii": []})
    return out


def _not_personal(g: Gen, make: Callable[[Gen], str]) -> str:
    """A value from `make` that no stdnum check in the set accepts as personal data."""
    while True:
        value = make(g)
        if not is_id(value):
            return value


def is_id(value: str) -> bool:
    digits = "".join(c for c in value if c.isdigit())
    compact = value.replace(" ", "").upper()
    return (
        fodselsnummer.is_valid(digits)
        or personnummer.is_valid(digits)
        or (len(digits) == 10 and cpr.is_valid(digits) and cpr.checksum(digits) == 0)
        or (len(digits) == 9 and bsn.is_valid(digits))
        or hetu.is_valid(compact)
        or (len(compact) >= 15 and iban.is_valid(compact))
        or (13 <= len(digits) <= 19 and luhn.is_valid(digits) and digits[0] in "3456")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--per-template", type=int, default=8, help="messages per positive template"
    )
    parser.add_argument(
        "--per-negative", type=int, default=7, help="messages per negative template"
    )
    args = parser.parse_args(argv)
    g = Gen(random.Random(args.seed))
    pos = positives(g, args.per_template)
    neg = negatives(g, args.per_negative)
    messages = [{"id": f"p{i:04d}", **m} for i, m in enumerate(pos, 1)]
    messages += [{"id": f"n{i:04d}", **m} for i, m in enumerate(neg, 1)]
    header = (
        f"# Generated by bench/pii_generate.py (seed {args.seed}): every number is random and\n"
        "# made valid by python-stdnum; no real person's data. `bot privacy eval` reads it.\n"
    )
    body = yaml.safe_dump(
        {"version": 1, "seed": args.seed, "messages": messages},
        allow_unicode=True,
        sort_keys=False,
        width=200,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + body, encoding="utf-8")
    print(f"{args.out}: {len(pos)} messages with personal data, {len(neg)} hard negatives")


if __name__ == "__main__":
    main()
