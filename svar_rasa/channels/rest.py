"""Rasa's `rest` channel, for development and server-to-server use only.

Rasa 3.6's own connector trusts the body: `input_channel` names any channel (an agent's
reply then goes to WhatsApp, to whatever number the caller chose as sender) and
`metadata` reaches the actions as sent (any customer id, any tier). This one keeps the
name and the webhook (`/webhooks/rest/webhook`), and:

- with a `token` (`SVAR_REST_TOKEN`), requires `Authorization: Bearer <token>`, compared
  in constant time; without one it is open, for development on loopback (see the README's
  production layout: never route it from the internet without a token);
- is always the `rest` channel, and its customer is anonymous unless the body carries
  a customer signed like the widget's (`metadata.customer`, `customer_secret`, the
  widget's secret); of the rest of the metadata, only what a page may say about itself
  (`language`, `page`) is kept;
- refuses a body that is not `{"sender": str, "message": str}` with 400, and screens the
  message at arrival (svar_rasa.guard: an over-long one is answered politely, not stored);
- `GET /webhooks/rest/ready`: 200 once the model is loaded (a load balancer's check);
- answers 503 when Rasa could not take the message (its tracker or lock store down), where
  Rasa's own connector logs the error and answers 200 with no reply: the caller can retry.
"""

import hmac
import logging
import re
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from svar_privacy import log_id
from svar_rasa import guard
from svar_rasa.channels.limits import protect
from svar_rasa.channels.metadata import channel_metadata, page_fields
from svar_rasa.channels.signatures import verified_customer

logger = logging.getLogger(__name__)

# Sender ids end up in URLs of Rasa's HTTP API (agents' replies): a plain shape only.
SENDER = re.compile(r"[A-Za-z0-9_.:@+-]{1,128}")
# The errors of this request's turn: Rasa's handler swallows them, the response checks them.
_failures: ContextVar[Optional[List[BaseException]]] = ContextVar(
    "svar_rest_failures", default=None
)


class GuardedRestInput(RestInput):
    """Credentials: optional `token` and `customer_secret`."""

    def __init__(self, token: Text = "", customer_secret: Text = "") -> None:
        self.token = token
        self.customer_secret = customer_secret

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        creds = credentials or {}
        return cls(
            token=str(creds.get("token") or ""),
            customer_secret=str(creds.get("customer_secret") or ""),
        )

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def _extract_message(self, req: Request) -> Optional[Text]:
        return getattr(req.ctx, "svar_text", None)

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        body = request.json if isinstance(request.json, dict) else {}
        sent = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        customer = verified_customer(self.customer_secret, sent.get("customer")) or {}
        return channel_metadata(
            self.name(),
            str(body.get("sender")),
            customer.get("customer_id"),
            customer.get("tier"),
            customer_verified=bool(customer),
            **page_fields(sent),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> Any:
            try:
                return await on_new_message(message)
            except Exception as exc:
                failures = _failures.get()
                if failures is not None:
                    failures.append(exc)
                raise

        blueprint = protect(super().blueprint(handle))

        @blueprint.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            """For a load balancer: this replica has its model loaded and can take turns."""
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "starting"}, status=503)
            return response.json({"status": "ready"})

        @blueprint.middleware("request")
        async def admit(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            _failures.set([])
            return self._refusal(request)

        @blueprint.middleware("response")
        async def refuse_unstored(request: Request, _: HTTPResponse) -> Optional[HTTPResponse]:
            if _failures.get():
                _failures.set(None)
                return response.json({"error": "message not stored, please retry"}, status=503)
            return None

        return blueprint

    def _refusal(self, request: Request) -> Optional[HTTPResponse]:
        """None when the request may go on to Rasa; else the answer it gets instead."""
        if self.token and not self._authorised(request):
            return response.json({"error": "a valid bearer token is required"}, status=401)
        try:
            body = request.json
        except Exception:  # Sanic's own error for a body that is not JSON
            body = None
        if not isinstance(body, dict):
            return response.json({"error": "the body must be a JSON object"}, status=400)
        sender, message = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not SENDER.fullmatch(sender):
            return response.json({"error": "sender: 1-128 of A-Z a-z 0-9 _ . : @ + -"}, status=400)
        if not isinstance(message, str):
            return response.json({"error": "message: a string is required"}, status=400)
        hint = page_fields(body.get("metadata")).get("language")
        arrival = guard.screen(message, hint)
        if arrival.text is None:
            logger.info("rest: message from %s refused at arrival", log_id(sender))
            return response.json([{"recipient_id": sender, "text": arrival.refusal}])
        request.ctx.svar_text = arrival.text
        return None

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization") or ""
        scheme, _, credential = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            credential.strip().encode(), self.token.encode()
        )
