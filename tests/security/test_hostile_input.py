"""Hostile text is cheap to refuse: linear patterns and the arrival guard (no servers)."""

from __future__ import annotations

import time

import pytest

from bot.handoff.tickets import contact_details
from svar_rasa.guard import max_message_chars, safe_payload, screen

ATTACKS = [
    "a" * 40_000,
    "a" * 40_000 + "@",
    "a." * 20_000 + "@",
    "1 " * 20_000 + "a",
    "@" * 40_000,
    "a@a." * 10_000,
    "+1(" * 13_000,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: repr(a[:6]))
def test_contact_details_is_linear_on_hostile_text(attack: str) -> None:
    started = time.perf_counter()
    contact_details([attack])
    assert time.perf_counter() - started < 0.5


def test_contact_details_still_finds_an_address_and_a_number() -> None:
    found = contact_details(["Mail ola.nordmann+svar@post.example.no, or call +47 912 34 567."])
    assert found == {"email": "ola.nordmann+svar@post.example.no", "phone": "+47 912 34 567"}


def test_message_over_the_cap_is_refused_politely() -> None:
    arrival = screen("x" * (max_message_chars() + 1))
    assert arrival.text is None and arrival.refusal and "too long" in arrival.refusal


def test_refusal_in_the_channels_language_when_the_text_does_not_tell() -> None:
    arrival = screen("x" * 3000, hint="sv")
    assert arrival.refusal and "för långt" in arrival.refusal


def test_message_at_the_cap_passes_and_unstorable_characters_go() -> None:
    assert screen("a" * max_message_chars()).text == "a" * max_message_chars()
    assert screen("nul\x00 and \ud800surrogate").text == "nul and surrogate"
    assert screen(None).text == "" and screen(["list"]).text == ""


def test_cap_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVAR_MAX_MESSAGE_CHARS", "10")
    assert screen("a" * 11).text is None and screen("a" * 10).text == "a" * 10


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("/feedback_helpful", "/feedback_helpful"),
        ('/choose_faq{"faq_id":"delivery_time"}', '/choose_faq{"faq_id":"delivery_time"}'),
        ('/greet{"language": "nl"}', 'greet{"language": "nl"}'),
        ('/rate_conversation{"rating":4}', '/rate_conversation{"rating":4}'),
        ('/rate_conversation{"rating":9}', 'rate_conversation{"rating":9}'),
        ('/rate_conversation{"rating":"5", "x":1}', 'rate_conversation{"rating":"5", "x":1}'),
        (
            '/choose_faq{"faq_id":"x", "input_issue":"y"}',
            'choose_faq{"faq_id":"x", "input_issue":"y"}',
        ),
        ("//", "?"),
        ("/Request_Human", "Request_Human"),
    ],
)
def test_only_button_shaped_payloads_keep_their_slash(typed: str, kept: str) -> None:
    assert safe_payload(typed) == kept


def test_verify_tokens_compare_in_constant_time_and_empty_never_matches() -> None:
    from svar_rasa.channels.signatures import same_secret

    assert same_secret("wa-verify-token", "wa-verify-token")
    assert not same_secret("wa-verify-toke", "wa-verify-token")
    assert not same_secret("", "") and not same_secret(None, "x")
    assert not same_secret("blåbær", "x")  # non-ASCII: refused, not a TypeError
