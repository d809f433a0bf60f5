"""The agent's side of the conversation, through Rasa's HTTP API.

Agent replies are appended as bot events with `output_channel=latest`, so they
reach the customer on whatever channel they wrote from (socket.io, WhatsApp,
Messenger); resolving appends `resume`. While paused Rasa runs no actions, so
the customer's paused messages are read back from the tracker.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from bot.errors import BotError
from bot.settings import Settings


class RasaUnavailable(BotError):
    """Rasa's HTTP API failed or could not be reached; 502 to the agent."""

    http_status = 502
    public = "Rasa's HTTP API could not be reached"

    def __init__(self, sender_id: str, reason: str) -> None:
        self.sender_id = sender_id
        super().__init__(f"Rasa API for conversation {sender_id}: {reason}")


class RasaClient:
    """Talks to Rasa's HTTP API about one conversation at a time: agents' replies, handing it back,
    reading what the customer sent while the bot was paused.
    """

    def __init__(self, settings: Settings) -> None:
        self._base = settings.rasa_url
        self._params = {"token": settings.rasa_token} if settings.rasa_token else {}

    async def _call(
        self, method: str, sender_id: str, params: dict[str, str], body: Any = None
    ) -> dict[str, Any]:
        # Rasa 3.6 does not unquote the id in its /conversations/<id> routes, so
        # characters senders really use (Twilio's "whatsapp:+47...") stay as they are.
        url = f"{self._base}/conversations/{quote(sender_id, safe=':+@')}/tracker"
        if method == "POST":
            url += "/events"
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                response = await client.request(
                    method, url, params={**self._params, **params}, json=body
                )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(sender_id, exc.__class__.__name__) from exc
        if not response.is_success:
            raise RasaUnavailable(sender_id, f"HTTP {response.status_code}")
        result: dict[str, Any] = response.json()
        return result

    async def say(self, sender_id: str, text: str, agent: str) -> None:
        """Send `text` to the customer as a message from `agent`, on their latest channel."""
        event = {"event": "bot", "text": text, "metadata": {"agent": agent}}
        await self._call("POST", sender_id, _side_effects(), [event])

    async def resume(self, sender_id: str, text: str) -> None:
        """Hand the conversation back to the bot, telling the customer so."""
        # A paused Rasa never ran action_listen after the handoff; without it the next
        # message matches no rule and the fallback loops, so log it here.
        events = [
            {"event": "resume"},
            {"event": "bot", "text": text},
            {"event": "action", "name": "action_listen"},
        ]
        await self._call("POST", sender_id, _side_effects(), events)

    async def user_messages(self, sender_id: str) -> list[tuple[float, str, dict[str, str]]]:
        """The customer's messages (event time, masked text, contact details as typed)
        since the conversation was paused. Rasa keeps a phone number or e-mail address
        beside the masked text only in a paused conversation, for the ticket's callback.
        """
        tracker = await self._call("GET", sender_id, {"include_events": "ALL"})
        found: list[tuple[float, str, dict[str, str]]] = []
        paused = False
        for event in tracker.get("events") or []:
            kind = event.get("event")
            if kind == "pause":
                paused = True
            elif kind == "resume":
                paused = False
            elif kind == "user" and paused:
                at, text = float(event.get("timestamp") or 0), str(event.get("text") or "")
                found.append((at, text, _contact(event.get("metadata"))))
        return found


def _contact(metadata: Any) -> dict[str, str]:
    contact = metadata.get("contact") if isinstance(metadata, dict) else None
    if not isinstance(contact, dict):
        return {}
    return {k: str(v) for k, v in contact.items() if k in ("phone", "email") and v}


def _side_effects() -> dict[str, str]:
    return {"output_channel": "latest", "execute_side_effects": "true"}
