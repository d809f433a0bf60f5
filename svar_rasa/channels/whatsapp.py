"""WhatsApp Business Cloud API connector: `whatsapp` → /webhooks/whatsapp/webhook.

Meta's webhook format: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks
In: text, interactive button and list replies, template quick-reply buttons.
Out: text; up to three buttons as reply buttons, more as a list. Statuses are
acknowledged and ignored; media and other types get a polite "text only" reply.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from svar_privacy import log_id
from svar_rasa.channels.buttons import choose_label, numbered_titles, shorten
from svar_rasa.channels.graph import GraphClient
from svar_rasa.channels.limits import protect
from svar_rasa.channels.metadata import MessageNotStored, deliver
from svar_rasa.channels.signatures import same_secret, valid_hub_signature
from svar_rasa.channels.state import SeenIds, StateUnavailable, handle_once
from svar_rasa.channels.window import ServiceWindow

logger = logging.getLogger(__name__)

UNSUPPORTED_TEXT = (
    "Sorry, I can only read text messages. Please type your question, and I will do my best."
)
TEXT_LIMIT, BODY_LIMIT, MAX_BUTTONS, BUTTON_TITLE, ROW_TITLE, ROW_DESCRIPTION = (
    4096,
    1024,
    3,
    20,
    24,
    72,
)
IGNORED_TYPES = frozenset({"reaction", "system", "ephemeral"})


def incoming_text(message: Dict[Text, Any]) -> Optional[Text]:
    """The text (or button payload) of a message, None for types we cannot read."""
    kind = message.get("type")
    if kind == "text":
        return (message.get("text") or {}).get("body")
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return reply.get("id") or reply.get("title")
    if kind == "button":  # a quick-reply button of a template message
        button = message.get("button") or {}
        return button.get("payload") or button.get("text")
    return None


class WhatsAppOutput(OutputChannel):
    """Sends through POST /{phone-number-id}/messages; never sends custom JSON."""

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    def __init__(self, graph: GraphClient, phone_number_id: Text, window: ServiceWindow) -> None:
        super().__init__()
        self._graph = graph
        self._phone_number_id = phone_number_id
        self._window = window

    async def _send(self, recipient_id: Text, kind: Text, content: Dict[Text, Any]) -> None:
        if await self._window.is_closed(recipient_id):
            # Free-form messages are refused outside 24 h; an approved template would be needed.
            logger.warning(
                "whatsapp: 24-hour window closed for %s, message not sent", log_id(recipient_id)
            )
            return
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient_id,
            "type": kind,
            kind: content,
        }
        await self._graph.post(f"{self._phone_number_id}/messages", payload)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, "text", {"preview_url": True, "body": text[:TEXT_LIMIT]})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) <= MAX_BUTTONS:
            body, titles = numbered_titles(text, buttons, BUTTON_TITLE)
            action = {
                "buttons": [
                    {"type": "reply", "reply": {"id": str(b["payload"])[:256], "title": t}}
                    for b, t in zip(buttons, titles, strict=True)
                ]
            }
            interactive = {"type": "button", "body": {"text": body[:BODY_LIMIT]}, "action": action}
        else:
            rows = [
                {
                    "id": str(b["payload"])[:200],
                    "title": shorten(str(b.get("title") or ""), ROW_TITLE),
                    "description": shorten(str(b.get("title") or ""), ROW_DESCRIPTION),
                }
                for b in buttons[:10]
            ]
            action = {
                "button": choose_label(text),
                "sections": [{"title": shorten(choose_label(text), ROW_TITLE), "rows": rows}],
            }
            interactive = {"type": "list", "body": {"text": text[:BODY_LIMIT]}, "action": action}
        await self._send(recipient_id, "interactive", interactive)

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, "image", {"link": image})

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """The response contract is for JSON clients; WhatsApp customers never see it."""
        logger.debug("whatsapp: custom json for %s dropped", log_id(recipient_id))


class WhatsAppInput(InputChannel):
    """Credentials: verify_token, app_secret, access_token, phone_number_id,
    optional graph_url / graph_version (tests point graph_url at a fake) and
    unsupported_text."""

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        creds: Dict[Text, Any] = credentials or {}
        return cls(
            verify_token=str(creds.get("verify_token") or ""),
            app_secret=str(creds.get("app_secret") or ""),
            access_token=str(creds.get("access_token") or ""),
            phone_number_id=str(creds.get("phone_number_id") or ""),
            graph_url=creds.get("graph_url") or None,
            graph_version=creds.get("graph_version") or None,
            unsupported_text=creds.get("unsupported_text") or UNSUPPORTED_TEXT,
        )

    def __init__(
        self,
        verify_token: Text,
        app_secret: Text,
        access_token: Text,
        phone_number_id: Text,
        graph_url: Optional[Text] = None,
        graph_version: Optional[Text] = None,
        unsupported_text: Text = UNSUPPORTED_TEXT,
    ) -> None:
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.unsupported_text = unsupported_text
        self.graph = GraphClient(access_token, graph_url, graph_version)
        self.window = ServiceWindow(self.name())
        self.seen = SeenIds(self.name())

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppOutput(self.graph, self.phone_number_id, self.window)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = protect(Blueprint("whatsapp_webhook", __name__))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """Meta's subscription handshake: echo hub.challenge for our verify token."""
            args = request.args
            if (
                self.verify_token
                and args.get("hub.mode") == "subscribe"
                and same_secret(args.get("hub.verify_token"), self.verify_token)
            ):
                return response.text(args.get("hub.challenge") or "")
            logger.warning("whatsapp: webhook verification with a wrong token")
            return response.text("forbidden", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Hub-Signature-256")
            if not valid_hub_signature(self.app_secret, request.body, signature):
                logger.warning("whatsapp: webhook with a missing or wrong signature rejected")
                return response.text("invalid signature", status=403)
            try:
                for message in self._messages(request.json):
                    await self._handle(message, on_new_message)
            except (MessageNotStored, StateUnavailable):
                # Meta redelivers; the messages already handled are skipped then.
                return response.text("not stored, please redeliver", status=503)
            return response.text("ok")

        return webhook

    @staticmethod
    def _messages(payload: Any) -> List[Dict[Text, Any]]:
        """The customer messages in a notification; statuses and other fields are skipped."""
        found: List[Dict[Text, Any]] = []
        if not isinstance(payload, dict):
            return found
        for entry in payload.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                if change.get("field", "messages") == "messages":
                    found.extend(m for m in value.get("messages") or [] if isinstance(m, dict))
        return found

    async def _handle(
        self, message: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        sender = message.get("from")
        if not sender or message.get("type") in IGNORED_TYPES:
            return

        async def handle() -> None:
            await self.window.customer_wrote(sender)
            await deliver(
                self.name(),
                on_new_message,
                self.get_output_channel(),
                sender,
                incoming_text(message),
                message.get("id"),
                self.unsupported_text,
            )

        await handle_once(self.seen, message.get("id"), handle)
