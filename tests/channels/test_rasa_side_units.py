"""The standard-library parts of the Rasa-side channel code (signatures, window, buttons)."""

from __future__ import annotations

import time

from svar_rasa.channels.buttons import choose_label, numbered_titles
from svar_rasa.channels.signatures import (
    customer_signature,
    valid_hub_signature,
    verified_customer,
)
from svar_rasa.channels.state import MemoryState
from svar_rasa.channels.window import WINDOW_SECONDS, ServiceWindow
from tests.channels.signing import hub_signature

SECRET = "shared-with-the-site"


def signed(customer_id: str = "c-42", tier: str = "vip", expires: int | None = None) -> dict:
    expires = expires if expires is not None else int(time.time()) + 3600
    return {
        "id": customer_id,
        "tier": tier,
        "expires": expires,
        "signature": customer_signature(SECRET, customer_id, tier, expires),
    }


def test_hub_signature_accepts_meta_format_only_with_the_secret() -> None:
    body = b'{"object":"page"}'
    assert valid_hub_signature("s", body, hub_signature("s", body))
    assert not valid_hub_signature("s", body, hub_signature("other", body))
    assert not valid_hub_signature("s", body + b" ", hub_signature("s", body))
    assert not valid_hub_signature("", body, hub_signature("", body))  # no secret: reject all
    assert not valid_hub_signature("s", body, None)


def test_signed_customer_verified() -> None:
    assert verified_customer(SECRET, signed()) == {"customer_id": "c-42", "tier": "vip"}


def test_tampered_expired_or_unsigned_customer_rejected() -> None:
    tampered = {**signed(tier="standard"), "tier": "vip"}
    assert verified_customer(SECRET, tampered) is None
    assert verified_customer(SECRET, signed(expires=int(time.time()) - 1)) is None
    assert verified_customer(SECRET, {"id": "c-42", "tier": "vip"}) is None
    assert verified_customer("", signed()) is None  # no secret configured
    assert verified_customer(SECRET, "c-42") is None


async def test_service_window_closes_after_24_hours_only_for_known_senders() -> None:
    now = [1_000_000.0]
    state = MemoryState(capacity=2, clock=lambda: now[0])
    window = ServiceWindow("whatsapp", state, clock=lambda: now[0])
    await window.customer_wrote("a")
    assert not await window.is_closed("a") and not await window.is_closed("unknown")
    now[0] += WINDOW_SECONDS + 1
    assert await window.is_closed("a")
    await window.customer_wrote("b")
    await window.customer_wrote("c")  # capacity 2: "a" is forgotten
    assert not await window.is_closed("a")


def test_long_button_titles_are_cut_and_listed_in_full() -> None:
    buttons = [
        {"title": "How do I pause my coffee subscription?", "payload": "/a"},
        {"title": "Yes", "payload": "/b"},
    ]
    text, titles = numbered_titles("Which one?", buttons, 20)
    assert text == "Which one?\n\n1. How do I pause my coffee subscription?\n2. Yes"
    assert titles[0].startswith("1. How do I") and len(titles[0]) == 20 and titles[1] == "2. Yes"
    assert numbered_titles("Helped?", [{"title": "Yes"}, {"title": "No"}], 20) == (
        "Helped?",
        ["Yes", "No"],
    )
    assert choose_label("Hvilken av disse mener du? Velg en av dem her.") == "Velg"
