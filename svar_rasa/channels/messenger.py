"""Facebook Messenger: Rasa's `facebook` connector, reworked for today's platform.

Rasa 3.6's own connector checks the deprecated SHA-1 `X-Hub-Signature`, posts
to an old Graph API version through a blocking client, and would forward the
response contract's `custom` JSON to Meta. This one keeps the name (webhook
/webhooks/facebook/webhook, credentials under `facebook`) and: verifies
`X-Hub-Signature-256`, sends through the current Graph API asynchronously,
offers buttons as quick replies, reads quick replies and postbacks, answers
attachments politely, and never sends custom JSON.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from svar_privacy import log_id
from svar_rasa.channels.buttons import numbered_titles
from svar_rasa.channels.graph import GraphClient
from svar_rasa.channels.limits import protect
from svar_rasa.channels.metadata import MessageNotStored, deliver
from svar_rasa.channels.signatures import same_secret, valid_hub_signature
from svar_rasa.channels.state import SeenIds, StateUnavailable, handle_once
from svar_rasa.channels.window import ServiceWindow

logger = logging.getLogger(__name__)

UNSUPPORTED_TEXT = "Sorry, I can only read text messages. Please type your question."
TEXT_LIMIT, QUICK_REPLY_TITLE, MAX_QUICK_REPLIES = 2000, 20, 13


def incoming_text(event: Dict[Text, Any]) -> Optional[Text]:
    """Quick-reply payload, postback payload or typed text; None for attachments."""
    if event.get("postback"):
        return event["postback"].get("payload") or event["postback"].get("title")
    message = event.get("message") or {}
    quick_reply = message.get("quick_reply") or {}
    return quick_reply.get("payload") or message.get("text")


class MessengerOutput(OutputChannel):
    """Sends through POST /me/messages with the page access token."""

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    def __init__(self, graph: GraphClient, window: ServiceWindow) -> None:
        super().__init__()
        self._graph = graph
        self._window = window

    async def _send(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        payload: Dict[Text, Any] = {"recipient": {"id": recipient_id}, "message": message}
        if await self._window.is_closed(recipient_id):
            # An agent answering after 24 h: Messenger's human-agent tag allows 7 days.
            payload.update(messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
        else:
            payload["messaging_type"] = "RESPONSE"
        await self._graph.post("me/messages", payload)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, {"text": text[:TEXT_LIMIT]})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        buttons = buttons[:MAX_QUICK_REPLIES]
        body, titles = numbered_titles(text, buttons, QUICK_REPLY_TITLE)
        quick_replies = [
            {"content_type": "text", "title": title, "payload": str(button["payload"])[:1000]}
            for button, title in zip(buttons, titles, strict=True)
        ]
        await self._send(recipient_id, {"text": body[:TEXT_LIMIT], "quick_replies": quick_replies})

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        attachment = {"type": "image", "payload": {"url": image, "is_reusable": True}}
        await self._send(recipient_id, {"attachment": attachment})

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """The response contract is for JSON clients; Meta never receives it."""
        logger.debug("messenger: custom json for %s dropped", log_id(recipient_id))


class MessengerInput(InputChannel):
    """Credentials: verify, secret, page-access-token (as Rasa's own), optional
    graph_url / graph_version and unsupported_text."""

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        creds: Dict[Text, Any] = credentials or {}
        return cls(
            verify_token=str(creds.get("verify") or ""),
            app_secret=str(creds.get("secret") or ""),
            page_access_token=str(creds.get("page-access-token") or ""),
            graph_url=creds.get("graph_url") or None,
            graph_version=creds.get("graph_version") or None,
            unsupported_text=creds.get("unsupported_text") or UNSUPPORTED_TEXT,
        )

    def __init__(
        self,
        verify_token: Text,
        app_secret: Text,
        page_access_token: Text,
        graph_url: Optional[Text] = None,
        graph_version: Optional[Text] = None,
        unsupported_text: Text = UNSUPPORTED_TEXT,
    ) -> None:
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.unsupported_text = unsupported_text
        self.graph = GraphClient(page_access_token, graph_url, graph_version)
        self.window = ServiceWindow(self.name())
        self.seen = SeenIds(self.name())

    def get_output_channel(self) -> OutputChannel:
        return MessengerOutput(self.graph, self.window)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = protect(Blueprint("messenger_webhook", __name__))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            args = request.args
            if same_secret(args.get("hub.verify_token"), self.verify_token):
                return response.text(args.get("hub.challenge") or "")
            logger.warning("messenger: webhook verification with a wrong token")
            return response.text("forbidden", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Hub-Signature-256")
            if not valid_hub_signature(self.app_secret, request.body, signature):
                logger.warning("messenger: webhook with a missing or wrong signature rejected")
                return response.text("invalid signature", status=403)
            payload = request.json if isinstance(request.json, dict) else {}
            try:
                for entry in payload.get("entry") or []:
                    for event in entry.get("messaging") or []:
                        await self._handle(event, on_new_message)
            except (MessageNotStored, StateUnavailable):
                # Meta redelivers; the events already handled are skipped then.
                return response.text("not stored, please redeliver", status=503)
            return response.text("EVENT_RECEIVED")

        return webhook

    async def _handle(
        self, event: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        sender = (event.get("sender") or {}).get("id")
        message = event.get("message") or {}
        if not sender or message.get("is_echo") or not (message or event.get("postback")):
            return  # our own echoes, deliveries, reads
        message_id = message.get("mid") or (event.get("postback") or {}).get("mid")

        async def handle() -> None:
            await self.window.customer_wrote(sender)
            await deliver(
                self.name(),
                on_new_message,
                self.get_output_channel(),
                sender,
                incoming_text(event),
                message_id,
                self.unsupported_text,
            )

        await handle_once(self.seen, message_id, handle)
