"""The website widget's channel: Rasa's socket.io connector with a signed customer.

The widget sends `metadata.customer = {id, tier, expires, signature}` for a
logged-in customer, signed by the company's own site with the shared secret
(`customer_secret`, see signatures.customer_signature). Only a valid, unexpired
signature lets the id and tier reach the actions; anything else the page sends
about the customer is dropped, so a visitor cannot make themselves a VIP.
The channel keeps the name `socketio` (the actions send the response contract
to it) and Rasa's session persistence. A message counts only from a socket that
joined its own session's room (Rasa's handler takes any `session_id` a socket
names), and is screened at arrival (svar_rasa.guard) before Rasa stores it.
Every message is acknowledged once Rasa has handled it: `{"ok": true}`, or
`{"ok": false}` when it could not be stored (the widget then offers to send it again).
"""

import inspect
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from svar_privacy import log_id
from svar_rasa import guard
from svar_rasa.channels.limits import protect
from svar_rasa.channels.metadata import channel_metadata, page_fields
from svar_rasa.channels.signatures import verified_customer

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def is_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(SESSION_ID.match(value))


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, fixed for the widget.

    Rasa's own `send_custom_json` passes the dict as keyword arguments to
    `emit` (so the response contract would fail); here it arrives as
    `{"custom": ...}`. A text stays one message (Rasa splits paragraphs), and
    an agent's reply (a bot event with `agent` metadata) says so.
    """

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        message: Dict[Text, Any] = {"text": text}
        if kwargs.get("agent"):
            message["agent"] = str(kwargs["agent"])
        await self._send_message(recipient_id, message)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        replies = [
            {"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload", "")}
            for b in buttons
        ]
        await self._send_message(recipient_id, {"text": text, "quick_replies": replies})

    async def send_custom_json(self, recipient_id: Text, json_message: Any, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WidgetInput(SocketIOInput):
    """Credentials: those of Rasa's `socketio`, plus customer_secret."""

    customer_secret: Text = ""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WidgetInput":
        creds = dict(credentials or {})
        secret = creds.pop("customer_secret", None)
        channel = cls(
            creds.get("user_message_evt", "user_uttered"),
            creds.get("bot_message_evt", "bot_uttered"),
            creds.get("namespace"),
            bool(creds.get("session_persistence", False)),
            creds.get("socketio_path", "/socket.io"),
            creds.get("jwt_key"),
            creds.get("jwt_method", "HS256"),
            creds.get("metadata_key", "metadata"),
        )
        channel.customer_secret = str(secret or "")
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_metadata(message: UserMessage) -> None:
            message.metadata = self.metadata_for(message.sender_id, message.metadata)
            if self.sio is not None:
                message.output_channel = WidgetOutput(self.sio, self.bot_message_evt)
            await on_new_message(message)

        blueprint = protect(super().blueprint(with_metadata))
        self._fix_session_request()
        self._replace_message_handler(with_metadata)
        return blueprint

    def _replace_message_handler(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Replace Rasa's user_uttered handler: the sender is the session this socket
        joined (never one it merely names), and the text is screened at arrival."""
        sio = self.sio
        assert sio is not None

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> Dict[Text, Any]:
            data = data if isinstance(data, dict) else {}
            sender = self._sender_of(sid, data.get("session_id"))
            if sender is None:
                logger.warning("widget: message from a socket outside its session refused")
                return {"ok": False, "error": "session"}
            sent = data.get(self.metadata_key)
            arrival = guard.screen(data.get("message"), page_fields(sent).get("language"))
            output = WidgetOutput(sio, self.bot_message_evt)
            if arrival.text is None:
                logger.info("widget: message from %s refused at arrival", log_id(sender))
                await output.send_text_message(sender, arrival.refusal or "")
                return {"ok": True}
            try:
                await on_new_message(
                    UserMessage(
                        arrival.text, output, sender, input_channel=self.name(), metadata=sent
                    )
                )
            except Exception:
                # The tracker or lock store is down: the widget tells the customer and
                # offers to send the message again, instead of waiting for nothing.
                logger.exception("widget: message from %s not stored", log_id(sender))
                return {"ok": False, "error": "not_stored"}
            return {"ok": True}

    def _sender_of(self, sid: Text, asked: Any) -> Optional[Text]:
        """The conversation a socket may speak in: its own session's room, or itself."""
        if not self.session_persistence:
            return sid
        assert self.sio is not None
        rooms = self.sio.rooms(sid, namespace=self.namespace or "/")
        return asked if is_session_id(asked) and asked in rooms else None

    def _fix_session_request(self) -> None:
        """Replace Rasa's session_request handler.

        Rasa 3.6 calls `sio.enter_room` without awaiting it, but python-socketio 5
        (which Rasa installs) made it a coroutine: the socket never joins the
        session's room, and no reply ever reaches the widget. This one awaits it,
        and accepts only session ids of the shape it hands out.
        """
        sio = self.sio
        assert sio is not None

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = asked if is_session_id(asked) else uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

    def get_output_channel(self) -> Optional[OutputChannel]:
        """For messages sent through Rasa's HTTP API (agents' replies)."""
        if self.sio is None:
            return super().get_output_channel()
        return WidgetOutput(self.sio, self.bot_message_evt)

    def metadata_for(self, sender: Text, sent: Any) -> Dict[Text, Any]:
        sent = sent if isinstance(sent, dict) else {}
        customer = verified_customer(self.customer_secret, sent.get("customer")) or {}
        page = page_fields(sent)
        if "page" in page:  # an older widget sent the whole address: no query, no fragment
            page["page"] = page["page"].split("#", 1)[0].split("?", 1)[0]
        return channel_metadata(
            "socketio",
            str(sender),
            customer.get("customer_id"),
            customer.get("tier"),
            customer_verified=bool(customer),
            **page,
        )
