"""WhatsApp through Twilio, with X-Twilio-Signature, against a fake Twilio API."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.channels.conftest import SECRETS, ChannelStack
from tests.channels.signing import twilio_signature
from tests.channels.stack import CONSOLE_TOKEN

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SID = SECRETS["TWILIO_ACCOUNT_SID"]


def form(sender: str, body: str, **extra: str) -> dict[str, str]:
    """The parameters Twilio POSTs for an incoming WhatsApp message."""
    return {
        "SmsMessageSid": f"SM{uuid.uuid4().hex}",
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "AccountSid": SID,
        "From": sender,
        "To": SECRETS["TWILIO_WHATSAPP_NUMBER"],
        "Body": body,
        "NumMedia": "0",
        "ProfileName": "Kari",
        "WaId": sender.removeprefix("whatsapp:+"),
        **extra,
    }


def post(cs: ChannelStack, params: dict[str, str], token: str | None) -> httpx.Response:
    url = f"{cs.stack.rasa_url}/webhooks/twilio/webhook"
    headers = {}
    if token is not None:
        headers["X-Twilio-Signature"] = twilio_signature(token, url, params)
    return httpx.post(url, data=params, headers=headers, timeout=60)


def say(cs: ChannelStack, sender: str, body: str, count: int, **extra: str) -> list[str]:
    response = post(cs, form(sender, body, **extra), SECRETS["TWILIO_AUTH_TOKEN"])
    assert response.status_code == 204
    calls = cs.platform.take(f"/2010-04-01/Accounts/{SID}/Messages.json", count)
    sent = [call.form() for call in calls]
    for message in sent:
        assert message["To"] == sender and message["From"] == SECRETS["TWILIO_WHATSAPP_NUMBER"]
        assert set(message) == {"From", "To", "Body"}
    return [message["Body"] for message in sent]


def new_sender() -> str:
    return "whatsapp:+47" + str(uuid.uuid4().int)[:8]


@pytest.mark.parametrize("token", [None, "not-the-auth-token"])
def test_unsigned_or_wrongly_signed_request_rejected(
    channel_stack: ChannelStack, token: str | None
) -> None:
    response = post(channel_stack, form(new_sender(), "Hello"), token)
    assert response.status_code == 403
    time.sleep(0.5)
    assert channel_stack.platform.calls == []


def test_question_answered_and_numbered_button_reply_understood(
    channel_stack: ChannelStack,
) -> None:
    sender = new_sender()
    answer, prompt = say(channel_stack, sender, "How much does shipping cost?", 2)
    assert "shipping" in answer.lower()
    assert "\n1. " in prompt and "\n2. " in prompt
    (sorry,) = say(channel_stack, sender, "2", 1)  # "No", the second button
    assert sorry and sorry != prompt


def test_media_message_answered_politely(channel_stack: ChannelStack) -> None:
    extra = {"NumMedia": "1", "MediaContentType0": "image/jpeg", "MediaUrl0": "https://x/y"}
    (reply,) = say(channel_stack, new_sender(), "", 1, **extra)
    assert "text" in reply.lower()


def test_agent_reply_from_console_reaches_the_customer_through_twilio(
    channel_stack: ChannelStack,
) -> None:
    sender = new_sender()
    say(channel_stack, sender, "can I talk to someone", 1)
    time.sleep(1.0)
    channel_stack.platform.take("/Messages.json", 0)  # drop the rest of the handoff turn
    headers = {"authorization": f"Bearer {CONSOLE_TOKEN}"}
    api = f"{channel_stack.stack.bot_url}/api/tickets"
    found = httpx.get(api, headers=headers, timeout=30).json()["tickets"]
    mine = [t for t in found if t["sender_id"] == sender]
    if not mine:
        pytest.skip("no handoff ticket: the handoff feature is not in this tree")
    assert mine[0]["channel"] == "twilio"
    reply = httpx.post(
        f"{api}/{mine[0]['id']}/reply", headers=headers, json={"text": "Hi, Kari here."}, timeout=30
    )
    assert reply.status_code == 200, reply.text
    (sent,) = channel_stack.platform.take("/Messages.json", 1)
    assert sent.form() == {
        "From": SECRETS["TWILIO_WHATSAPP_NUMBER"],
        "To": sender,
        "Body": "Hi, Kari here.",
    }
