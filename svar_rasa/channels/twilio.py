"""WhatsApp (or SMS) through Twilio: Rasa's `twilio` connector with request signing.

Rasa 3.6's connector accepts any POST to its webhook. This one keeps the name
(webhook /webhooks/twilio/webhook, credentials under `twilio`) and rejects
requests whose X-Twilio-Signature does not match the auth token; sends through
Twilio's REST API asynchronously (base URL configurable for tests); shows
buttons as a numbered list and reads a reply of "1", "2"… as the button; and
respects WhatsApp's 24-hour window. Twilio's own validator checks the signature.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qsl

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from svar_privacy import log_id
from svar_rasa.channels.limits import protect
from svar_rasa.channels.metadata import MessageNotStored, deliver
from svar_rasa.channels.state import OfferedButtons, SeenIds, StateUnavailable, handle_once
from svar_rasa.channels.window import ServiceWindow

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
UNSUPPORTED_TEXT = "Sorry, I can only read text messages. Please type your question."
TEXT_LIMIT = 1600


class TwilioSender(OutputChannel):
    """POST /2010-04-01/Accounts/{sid}/Messages.json; custom JSON is never sent."""

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    def __init__(self, channel: "TwilioSignedInput") -> None:
        super().__init__()
        self._channel = channel

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        if await self._channel.window.is_closed(recipient_id):
            logger.warning(
                "twilio: 24-hour window closed for %s, message not sent", log_id(recipient_id)
            )
            return
        c = self._channel
        url = f"{c.api_url}/2010-04-01/Accounts/{c.account_sid}/Messages.json"
        form = {"From": c.twilio_number, "To": recipient_id, "Body": text[:TEXT_LIMIT]}
        auth = aiohttp.BasicAuth(c.account_sid, c.auth_token)
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
                session.post(url, data=form, auth=auth) as reply,
            ):
                if reply.status >= 400:
                    logger.warning(
                        "twilio: send to %s refused, status %s", log_id(recipient_id), reply.status
                    )
        except (aiohttp.ClientError, TimeoutError) as exc:
            logger.warning(
                "twilio: send to %s failed: %s", log_id(recipient_id), type(exc).__name__
            )

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        listed = "\n".join(f"{i}. {b.get('title', '')}" for i, b in enumerate(buttons, start=1))
        payloads = [str(b.get("payload", "")) for b in buttons]
        await self._channel.offered.offer(recipient_id, payloads)
        await self.send_text_message(recipient_id, f"{text}\n\n{listed}")

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        logger.debug("twilio: custom json for %s dropped", log_id(recipient_id))


class TwilioSignedInput(InputChannel):
    """Credentials: account_sid, auth_token, twilio_number (e.g. whatsapp:+14155238886),
    optional webhook_url (the public URL Twilio signs, when behind a proxy) and api_url."""

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        creds: Dict[Text, Any] = credentials or {}
        return cls(
            account_sid=str(creds.get("account_sid") or ""),
            auth_token=str(creds.get("auth_token") or ""),
            twilio_number=str(creds.get("twilio_number") or ""),
            webhook_url=creds.get("webhook_url") or None,
            api_url=creds.get("api_url") or None,
        )

    def __init__(
        self,
        account_sid: Text,
        auth_token: Text,
        twilio_number: Text,
        webhook_url: Optional[Text] = None,
        api_url: Optional[Text] = None,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.twilio_number = twilio_number
        self.webhook_url = webhook_url
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.window = ServiceWindow(self.name())
        self.offered = OfferedButtons(self.name())
        self.seen = SeenIds(self.name())

    def get_output_channel(self) -> OutputChannel:
        return TwilioSender(self)

    def _signed(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        if not self.auth_token or not signature:
            return False
        # Twilio signs every parameter, blank ones too; Sanic's request.form drops blanks.
        # Invalid UTF-8 cannot carry a valid signature: decoded with replacements, it fails.
        body = request.body.decode("utf-8", errors="replace")
        params = dict(parse_qsl(body, keep_blank_values=True))
        url = self.webhook_url or request.url
        return bool(RequestValidator(self.auth_token).validate(url, params, signature))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = protect(Blueprint("twilio_signed_webhook", __name__))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._signed(request):
                logger.warning("twilio: webhook with a missing or wrong signature rejected")
                return response.text("invalid signature", status=403)
            try:
                await self._handle(request, on_new_message)
            except (MessageNotStored, StateUnavailable):
                return response.text("not stored, please redeliver", status=503)
            return response.text("", status=204)

        return webhook

    async def _handle(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        sender = request.form.get("From")
        if not sender:
            return
        text = request.form.get("ButtonPayload") or (request.form.get("Body") or "").strip()
        message_id = request.form.get("MessageSid")

        async def handle() -> None:
            await self.window.customer_wrote(sender)
            await deliver(
                self.name(),
                on_new_message,
                self.get_output_channel(),
                sender,
                await self.offered.resolve(sender, text) if text else text,
                message_id,
                UNSUPPORTED_TEXT,
            )

        await handle_once(self.seen, message_id, handle)
