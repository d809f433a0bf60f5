"""Every channel's messages reach Rasa's tracker store masked (WhatsApp, Messenger, Twilio).

The REST channel is checked with the stores and logs in tests/e2e/test_privacy.py;
here the platforms' own webhooks are driven against the real Rasa server, and the
conversation is read back from Rasa's tracker.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.channels import test_messenger, test_twilio, test_whatsapp
from tests.channels.conftest import SECRETS, ChannelStack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
FNR = "150187 49391"
CARD = "4111-1111-1111-1111"
TEXT = f"Hvor lang er leveringstiden? fnr {FNR}, kort {CARD}"
MASKED = "Hvor lang er leveringstiden? fnr [fødselsnummer], kort [card]"


def _whatsapp(cs: ChannelStack) -> str:
    sender = test_whatsapp.new_sender()
    payload = test_whatsapp.notification(sender, test_whatsapp.text(TEXT))
    assert test_whatsapp.post(cs, payload, SECRETS["WHATSAPP_APP_SECRET"]).status_code == 200
    return sender


def _messenger(cs: ChannelStack) -> str:
    sender = test_messenger.new_sender()
    payload = test_messenger.webhook_event(sender, test_messenger.message(TEXT))
    assert test_messenger.post(cs, payload, SECRETS["MESSENGER_APP_SECRET"]).status_code == 200
    return sender


def _twilio(cs: ChannelStack) -> str:
    sender = test_twilio.new_sender()
    params = test_twilio.form(sender, TEXT)
    assert test_twilio.post(cs, params, SECRETS["TWILIO_AUTH_TOKEN"]).status_code == 204
    return sender


@pytest.mark.parametrize("send", [_whatsapp, _messenger, _twilio], ids=lambda f: f.__name__[1:])
def test_platform_message_stored_masked(
    channel_stack: ChannelStack, send: Callable[[ChannelStack], str]
) -> None:
    sender = send(channel_stack)
    events = _user_events(channel_stack, sender)
    assert [e["text"] for e in events] == [MASKED]
    assert "contact" not in (events[0].get("metadata") or {})
    _drop_replies(channel_stack, sender)


def _user_events(cs: ChannelStack, sender: str, timeout: float = 60.0) -> list[dict[str, Any]]:
    """The customer's messages in Rasa's tracker, once the turn is over."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = httpx.get(
            f"{cs.stack.rasa_url}/conversations/{sender}/tracker",
            params={"token": cs.stack.rasa_token},
            timeout=30,
        )
        events = response.json().get("events") or [] if response.status_code == 200 else []
        users = [e for e in events if e.get("event") == "user"]
        if users:  # Rasa saves the tracker once the turn is over
            return users
        time.sleep(0.5)
    raise AssertionError(f"no answered message from {sender} in Rasa's tracker")


def _drop_replies(cs: ChannelStack, sender: str) -> None:
    """The replies to this test's messages are not for the other channel tests to take."""
    time.sleep(1.0)
    digits = "".join(c for c in sender if c.isdigit())
    for call in list(cs.platform.calls):
        if digits in call.body.decode("utf-8", "replace"):
            cs.platform.calls.remove(call)
