"""WhatsApp Cloud API connector, through the real Rasa server and a fake Graph API."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.channels.conftest import SECRETS, ChannelStack
from tests.channels.signing import hub_signature, meta_body
from tests.channels.stack import CONSOLE_TOKEN

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PHONE_ID = SECRETS["WHATSAPP_PHONE_NUMBER_ID"]


def notification(sender: str, message: dict[str, Any]) -> dict[str, Any]:
    """A `messages` webhook notification as Meta documents it."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": PHONE_ID,
                            },
                            "contacts": [{"profile": {"name": "Kari"}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": f"wamid.{uuid.uuid4().hex}",
                                    "timestamp": str(int(time.time())),
                                    **message,
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def post(cs: ChannelStack, payload: dict[str, Any], secret: str | None = None) -> httpx.Response:
    body = meta_body(payload)
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = hub_signature(secret, body)
    url = f"{cs.stack.rasa_url}/webhooks/whatsapp/webhook"
    return httpx.post(url, content=body, headers=headers, timeout=60)


def say(cs: ChannelStack, sender: str, message: dict[str, Any], count: int) -> list[dict[str, Any]]:
    response = post(cs, notification(sender, message), SECRETS["WHATSAPP_APP_SECRET"])
    assert response.status_code == 200
    calls = cs.platform.take(f"/v24.0/{PHONE_ID}/messages", count)
    for call in calls:
        assert call.headers["Authorization"] == f"Bearer {SECRETS['WHATSAPP_ACCESS_TOKEN']}"
    sent = [call.json() for call in calls]
    for body in sent:
        assert body["messaging_product"] == "whatsapp" and body["to"] == sender
        assert '"custom"' not in json.dumps(body) and '"kind"' not in json.dumps(body)
    return sent


def new_sender() -> str:
    return "47" + str(uuid.uuid4().int)[:8]


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body}}


def test_verification_handshake_echoes_challenge_only_for_our_token(
    channel_stack: ChannelStack,
) -> None:
    url = f"{channel_stack.stack.rasa_url}/webhooks/whatsapp/webhook"
    args = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    ok = httpx.get(url, params={**args, "hub.verify_token": SECRETS["WHATSAPP_VERIFY_TOKEN"]})
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = httpx.get(url, params={**args, "hub.verify_token": "guess"})
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


@pytest.mark.parametrize("secret", [None, "not-the-app-secret"])
def test_unsigned_or_wrongly_signed_message_rejected(
    channel_stack: ChannelStack, secret: str | None
) -> None:
    response = post(channel_stack, notification(new_sender(), text("Hello")), secret)
    assert response.status_code == 403
    time.sleep(0.5)
    assert channel_stack.platform.calls == []


def test_question_answered_with_text_then_feedback_buttons(channel_stack: ChannelStack) -> None:
    sender = new_sender()
    answer, prompt = say(channel_stack, sender, text("How much does shipping cost?"), 2)
    assert answer["type"] == "text" and "shipping" in answer["text"]["body"].lower()
    assert prompt["type"] == "interactive" and prompt["interactive"]["type"] == "button"
    buttons = prompt["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["/feedback_helpful", "/feedback_not_helpful"]
    assert all(0 < len(b["reply"]["title"]) <= 20 for b in buttons)
    reply = {
        "type": "interactive",
        "interactive": {
            "type": "button_reply",
            "button_reply": {"id": "/feedback_not_helpful", "title": buttons[1]["reply"]["title"]},
        },
    }
    (sorry,) = say(channel_stack, sender, reply, 1)
    assert sorry["type"] == "text"


def test_clarify_candidates_offered_and_list_reply_answers(channel_stack: ChannelStack) -> None:
    sender = new_sender()
    sent = say(channel_stack, sender, text("I have a question about my coffee subscription"), 1)
    interactive = sent[0]["interactive"]
    if interactive["type"] == "button":
        options = [
            (b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]
        ]
        assert len(options) <= 3 and all(len(t) <= 20 for _, t in options)
    else:
        rows = interactive["action"]["sections"][0]["rows"]
        options = [(r["id"], r["title"]) for r in rows]
        assert len(options) > 3 and all(len(t) <= 24 for _, t in options)
    ids = [option_id for option_id, _ in options]
    assert any('"faq_id":"pause_subscription"' in i for i in ids), ids
    chosen = next(i for i in ids if "pause_subscription" in i)
    kind = "button_reply" if interactive["type"] == "button" else "list_reply"
    reply = {
        "type": "interactive",
        "interactive": {"type": kind, kind: {"id": chosen, "title": "x"}},
    }
    answer = say(channel_stack, sender, reply, 2)[0]
    assert answer["type"] == "text" and "pause" in answer["text"]["body"].lower()


def test_status_updates_are_acknowledged_and_ignored(channel_stack: ChannelStack) -> None:
    payload = notification(new_sender(), text("unused"))
    value = payload["entry"][0]["changes"][0]["value"]
    del value["messages"], value["contacts"]
    value["statuses"] = [
        {"id": "wamid.x", "status": "delivered", "timestamp": "1", "recipient_id": "4799"}
    ]
    response = post(channel_stack, payload, SECRETS["WHATSAPP_APP_SECRET"])
    assert response.status_code == 200
    time.sleep(0.5)
    assert channel_stack.platform.calls == []


@pytest.mark.parametrize(
    "message",
    [
        {"type": "image", "image": {"mime_type": "image/jpeg", "sha256": "abc", "id": "1"}},
        {"type": "audio", "audio": {"mime_type": "audio/ogg", "id": "2", "voice": True}},
        {"type": "unsupported", "errors": [{"code": 131051, "title": "Unsupported type"}]},
    ],
)
def test_media_and_unsupported_types_answered_politely(
    channel_stack: ChannelStack, message: dict[str, Any]
) -> None:
    (reply,) = say(channel_stack, new_sender(), message, 1)
    assert reply["type"] == "text" and "text" in reply["text"]["body"].lower()


def test_agent_reply_from_console_reaches_the_customer_on_whatsapp(
    channel_stack: ChannelStack,
) -> None:
    sender = new_sender()
    say(channel_stack, sender, text("can I talk to someone"), 1)
    time.sleep(1.0)
    channel_stack.platform.take(f"/{PHONE_ID}/messages", 0)  # drop the rest of the handoff turn
    headers = {"authorization": f"Bearer {CONSOLE_TOKEN}"}
    api = f"{channel_stack.stack.bot_url}/api/tickets"
    found = httpx.get(api, headers=headers, timeout=30).json()["tickets"]
    mine = [t for t in found if t["sender_id"] == sender]
    if not mine:
        pytest.skip("no handoff ticket: the handoff feature is not in this tree")
    ticket = mine[0]
    assert ticket["channel"] == "whatsapp"
    reply = httpx.post(
        f"{api}/{ticket['id']}/reply", headers=headers, json={"text": "Hi, Kari here."}, timeout=30
    )
    assert reply.status_code == 200, reply.text
    (sent,) = channel_stack.platform.take(f"/{PHONE_ID}/messages", 1)
    body = sent.json()
    assert body["to"] == sender and body["text"]["body"] == "Hi, Kari here."
