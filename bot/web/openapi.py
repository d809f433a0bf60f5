"""The OpenAPI 3.1 document of the agents' API, written out by hand to stay readable."""

from __future__ import annotations

from typing import Any

from bot.handoff.tickets import STATUSES
from bot.handoff.triggers import REASONS
from bot.privacy.requests import REASONS as PRIVACY_REASONS

_TICKET_ID = {"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "string"}}
_ERRORS = {
    "401": {"description": "no valid session cookie or bearer token"},
    "403": {"description": "the user lacks the agent role"},
}


def _ticket_op(summary: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [_TICKET_ID],
        "responses": {
            "200": _ref("Ticket"),
            "404": {"description": "no such ticket"},
            "409": {"description": "not possible in the ticket's status"},
            "502": {"description": "Rasa's HTTP API could not be reached"},
            **_ERRORS,
        },
    }
    op.update(extra or {})
    return op


def _ref(name: str) -> dict[str, Any]:
    return {
        "description": "OK",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


_LIST = {
    "description": "OK",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "tickets": {"type": "array", "items": {"$ref": "#/components/schemas/Ticket"}}
                },
            }
        }
    },
}

_TICKET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "status": {"enum": list(STATUSES)},
        "queue": {"type": "string", "description": "the KB entry's team, else general"},
        "priority": {"enum": ["normal", "high", "urgent"]},
        "reason": {"enum": [*REASONS, *PRIVACY_REASONS]},
        "evidence": {"type": "array", "items": {"type": "string"}},
        "summary": {"type": "string", "description": "extractive: the customer's own sentences"},
        "lang": {"type": "string"},
        "channel": {"type": ["string", "null"]},
        "sender_id": {"type": "string"},
        "customer_id": {"type": ["string", "null"]},
        "tier": {"type": ["string", "null"]},
        "topics": {"type": "array", "items": {"type": "string"}},
        "answers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "faq_id": {"type": "string"},
                    "score": {"type": ["number", "null"]},
                    "feedback": {"enum": ["helpful", "not_helpful", None]},
                },
            },
        },
        "details": {
            "type": "object",
            "description": "complaint {category, what_happened, wants}; closed {why, opens_at}",
        },
        "out_of_hours": {"type": "boolean"},
        "assignee": {"type": ["string", "null"]},
        **{
            name: {"type": ["string", "null"], "format": "date-time"}
            for name in (
                "created_at",
                "assigned_at",
                "first_reply_at",
                "resolved_at",
                "due_at",
                "follow_up_at",
                "followed_up_at",
            )
        },
        "transcript": {
            "type": "array",
            "description": "only on GET /tickets/{ticket_id} and the actions",
            "items": {
                "type": "object",
                "properties": {
                    "role": {"enum": ["customer", "bot", "agent"]},
                    "text": {"type": "string"},
                    "author": {"type": ["string", "null"]},
                    "paused": {"type": "boolean", "description": "sent while the bot was paused"},
                    "at": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Svar agent API",
            "version": "1",
            "description": "Handed-off conversations (tickets) for agents and helpdesks. "
            "Authenticate with `Authorization: Bearer <BOT_CONSOLE_TOKEN>` or a console "
            "session cookie. New tickets can also be pushed to a webhook, signed with "
            "HMAC-SHA256 in the `X-Svar-Signature: sha256=<hex>` header.",
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "svar_session"},
            },
            "schemas": {"Ticket": _TICKET_SCHEMA},
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/api/tickets": {
                "get": {
                    "summary": "List tickets, newest first",
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "schema": _TICKET_SCHEMA["properties"]["status"],
                        },
                        {"name": "queue", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": _LIST, "400": {"description": "bad status"}, **_ERRORS},
                }
            },
            "/api/tickets/{ticket_id}": {
                "get": _ticket_op("A ticket with its transcript (paused messages included)")
            },
            "/api/tickets/{ticket_id}/claim": {"post": _ticket_op("Assign it to yourself")},
            "/api/tickets/{ticket_id}/reply": {
                "post": _ticket_op(
                    "Send a message to the customer on their channel",
                    {
                        "requestBody": {
                            "required": True,
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["text"],
                                        "properties": {"text": {"type": "string"}},
                                    }
                                }
                            },
                        }
                    },
                )
            },
            "/api/tickets/{ticket_id}/resolve": {
                "post": _ticket_op("Resolve it; the bot takes the conversation back")
            },
            "/api/tickets/{ticket_id}/followed-up": {
                "post": _ticket_op("Mark a resolved complaint's follow-up as done")
            },
            "/api/followups": {
                "get": {
                    "summary": "Resolved complaints to check back on",
                    "responses": {"200": _LIST, **_ERRORS},
                }
            },
            "/api/queues": {
                "get": {
                    "summary": "Open tickets per queue",
                    "responses": {"200": {"description": "OK"}, **_ERRORS},
                }
            },
        },
    }
