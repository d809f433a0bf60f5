"""The masker (svar_privacy): every kind it must find, what it must leave alone, and its cost."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.pii_generate import Gen, is_id
from svar_privacy import Masker, Span, context, mask, mask_text, recognizers
from svar_privacy.recognizers import default_recognizers

ID_KINDS = ("fodselsnummer", "personnummer", "cpr", "bsn", "henkilotunnus", "iban", "card")
PLACEHOLDER = {
    "fodselsnummer": "[fødselsnummer]",
    "personnummer": "[personnummer]",
    "cpr": "[cpr]",
    "bsn": "[bsn]",
    "henkilotunnus": "[henkilötunnus]",
    "iban": "[iban]",
    "card": "[card]",
    "email": "[email]",
    "phone": "[phone]",
}
SENTENCES = [
    "my number is {} thanks",
    "Hei, {} her.",
    "({})",
    "{}",
    "nummer: {}, og mer",
    "zie {}. Groet",
]
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fødselsnummeret mitt er 150187 49391", "fødselsnummeret mitt er [fødselsnummer]"),
        ("D-nummer 55018749385 ok", "D-nummer [fødselsnummer] ok"),
        ("personnummer 19850101-2382", "personnummer [personnummer]"),
        ("pnr 850101-2382.", "pnr [personnummer]."),
        ("samordningsnummer 850161-2389", "samordningsnummer [personnummer]"),
        ("CPR 010185-1001", "CPR [cpr]"),
        ("BSN 1112.22.333", "BSN [bsn]"),
        ("hetu 131052-308T", "hetu [henkilötunnus]"),
        ("IBAN NO93 8601 1117 947 takk", "IBAN [iban] takk"),
        ("NL91ABNA0417164300.", "[iban]."),
        ("kort 4111 1111 1111 1111 utløper 12/27", "kort [card] utløper 12/27"),
        ("amex 3782-822463-10005", "amex [card]"),
        ("mail kari.nordmann@example.no nå", "mail [email] nå"),
        ("ring 912 34 567 eller +47 91 23 45 67", "ring [phone] eller [phone]"),
        ("mobil 070-123 45 67", "mobil [phone]"),
        ("bel 06-12345678 of +31 (0)20 123 4567", "bel [phone] of [phone]"),
        ("call +44 20 7946 0958", "call [phone]"),
        ("tel. 06.12.34.56.78", "tel. [phone]"),
    ],
)
def test_mask_known_values_replaced_by_typed_placeholders(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ordrenummer 12345678",
        "bestelling 123456782 is niet aangekomen",  # passes the 11-proof: an order all the same
        "ordre 0101851001 kom ikke",  # a valid CPR, but named an order
        "Sporingsnummer 70701234567890123",
        "tracking UA123456789SE",
        "factuur 2024-00123 van 17.05.2024",
        "bestilt 2024-05-17 kl 20.00-22.00",
        "pris 1 299,00 kr, eller kr 23 456 789,-",
        "0150 Oslo, 114 55 Stockholm, 1012 AB Amsterdam",
        "varenummer 4006381333931",
        "kort 4111 1111 1111 1112",  # Luhn fails
        "IBAN NO94 8601 1117 947",  # mod 97 fails
        "artikel WX-9123 4567",
    ],
)
def test_mask_not_personal_numbers_left_alone(text: str) -> None:
    assert mask(text).findings == ()


def test_mask_several_values_in_one_message_each_typed() -> None:
    masked = mask("fnr 15018749391, ring meg på 912 34 567 eller kari@example.no")
    assert masked.text == "fnr [fødselsnummer], ring meg på [phone] eller [email]"
    assert masked.kinds == ["email", "fodselsnummer", "phone"]
    assert masked.contacts() == {"email": "kari@example.no", "phone": "912 34 567"}


def test_mask_twice_changes_nothing_more() -> None:
    once = mask_text("IBAN NL91ABNA0417164300, ring +31 6 12345678")
    assert mask_text(once) == once


def test_danish_cpr_without_modulus_11_needs_the_word_cpr() -> None:
    # 150110-4000: a valid date, fails modulus 11 (a number issued since 2007).
    assert mask_text("CPR-nummer 150110-4000") == "CPR-nummer [cpr]"
    assert mask_text("mit cpr er 1501104000") == "mit cpr er [cpr]"
    assert mask("nummer 150110-4000").findings == ()


def test_masker_runs_an_added_recognizer_after_the_default_ones() -> None:
    class Names:
        def find(self, text: str) -> list[Span]:
            at = text.find("Kari")
            return [Span("email", at, at + 4)] if at >= 0 else []

    masker = Masker([*default_recognizers(), Names()])
    assert masker.mask("Kari, 912 34 567").text == "[email], [phone]"


@pytest.mark.parametrize("kind", ID_KINDS)
@PROPERTY
@given(seed=st.integers(0, 2**32), sentence=st.sampled_from(SENTENCES))
def test_generated_valid_ids_always_masked(kind: str, seed: int, sentence: str) -> None:
    value = getattr(Gen(random.Random(seed)), kind)()
    masked = mask(sentence.format(value))
    assert value not in masked.text, masked.text
    assert any(value in f.value for f in masked.findings), (value, masked.text)
    # The type is right unless the number is valid as two kinds: 0701234567 is a Swedish
    # mobile number and a personnummer, 3005651181 a CPR and a samordningsnummer. The
    # eval (`bot privacy eval`) reports how often the type is right.


@pytest.mark.parametrize("kind", ["email", "phone"])
@PROPERTY
@given(seed=st.integers(0, 2**32), sentence=st.sampled_from(SENTENCES))
def test_generated_contacts_always_masked(kind: str, seed: int, sentence: str) -> None:
    value = getattr(Gen(random.Random(seed)), kind)()
    masked = mask(sentence.format(value))
    assert value not in masked.text and PLACEHOLDER[kind] in masked.text, (value, masked.text)


ORDER_WORDS = [
    "ordrenummer",
    "order",
    "bestelling",
    "ordernummer",
    "faktura",
    "kundenummer",
    "sporingsnummer",
    "varenummer",
    "Bestillingsnummer:",
    "factuur nr",
]


@PROPERTY
@given(
    digits=st.text("0123456789", min_size=4, max_size=12),
    word=st.sampled_from(ORDER_WORDS),
)
def test_numbers_named_as_orders_left_alone_unless_a_strong_id(digits: str, word: str) -> None:
    assume(not is_id(digits))
    assert mask(f"{word} {digits} kom ikke").findings == ()


@PROPERTY
@given(
    day=st.integers(1, 28),
    month=st.integers(1, 12),
    year=st.integers(1990, 2030),
    sep=st.sampled_from([".", "-", "/"]),
)
def test_dates_left_alone(day: int, month: int, year: int, sep: str) -> None:
    for text in (f"{day:02d}{sep}{month:02d}{sep}{year}", f"{year}-{month:02d}-{day:02d}"):
        assert mask(f"levert {text}?").findings == ()


@PROPERTY
@given(kroner=st.integers(1, 10**8), ore=st.integers(0, 99))
def test_prices_left_alone(kroner: int, ore: int) -> None:
    spaced = f"{kroner:,}".replace(",", " ")
    assert mask(f"det kostet {spaced},{ore:02d} kr").findings == ()
    assert mask(f"pris kr {spaced},-").findings == ()


ADVERSARIAL = [
    "1 " * 50_000,
    "a" * 100_000,
    "a." * 50_000,
    "ab12 " * 20_000,
    "+4-" * 33_334,
    "x@" * 50_000,
    "a@b" * 33_334,
    "0" * 100_000,
    "12.34.56 " * 11_112,
    "NO93 " * 20_000,
    "ordre " * 16_667,
    "131052-" * 14_286,
]
PATTERNS = [
    recognizers._EMAIL,
    recognizers._IBAN,
    recognizers._HETU,
    recognizers._PERSONNUMMER_PLUS,
    recognizers._RUN,
    recognizers._LONE_NUMBER,
    context._TOKEN,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:6]))
def test_every_pattern_scans_100k_characters_under_50_ms(text: str) -> None:
    for pattern in PATTERNS:
        seconds = _best_of_three(lambda p=pattern: sum(1 for _ in p.finditer(text)))
        assert seconds < 0.050, f"{pattern.pattern[:40]}: {seconds * 1000:.1f} ms"


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:6]))
def test_mask_100k_characters_under_50_ms(text: str) -> None:
    seconds = _best_of_three(lambda: mask(text))
    assert seconds < 0.050, f"{seconds * 1000:.1f} ms"


def test_mask_cost_grows_linearly_with_numbers_in_the_text() -> None:
    unit = "fnr 15018749391, ring 912 34 567 / 22 33 44 55, ordre 12345678. "
    small, large = unit * 160, unit * 1600  # about 10,000 and 100,000 characters
    ratio = _best_of_three(lambda: mask(large)) / _best_of_three(lambda: mask(small))
    assert ratio < 25, ratio  # ten times the text: about 10 if linear, 100 if quadratic


def test_mask_message_at_the_arrival_cap_full_of_numbers_under_50_ms() -> None:
    text = ("Hei, fnr 15018749391, ring 912 34 567, kort 4111 1111 1111 1111. " * 40)[:2000]
    assert _best_of_three(lambda: mask(text)) < 0.050


def _best_of_three(work: Callable[[], object]) -> float:
    """CPU seconds of this process, the best of three: other work on the two shared cores
    must not make a linear pattern look quadratic (a quadratic one takes seconds here)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best
