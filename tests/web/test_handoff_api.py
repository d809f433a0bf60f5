"""The agents' API route by route: success, and each error status it documents."""

from __future__ import annotations

from sanic import Sanic

from bot.runtime import Runtime
from bot.web.models import QueueList, Ticket, TicketList
from tests.web.conftest import FakeRasa, call, open_ticket


async def test_list_and_filter_tickets(app: Sanic, runtime: Runtime) -> None:
    ticket_id = open_ticket(runtime.db, queue="billing")
    listed = await call(app, "GET", "/api/tickets", "agent")
    assert listed.status == 200
    assert [t.id for t in TicketList.model_validate(listed.json).tickets] == [ticket_id]
    assert "transcript" not in listed.json["tickets"][0]
    queued = await call(app, "GET", "/api/tickets?status=queued&queue=billing", "agent")
    assert len(queued.json["tickets"]) == 1
    other = await call(app, "GET", "/api/tickets?queue=general", "agent")
    assert other.json["tickets"] == []
    bad = await call(app, "GET", "/api/tickets?status=lost", "agent")
    assert bad.status == 400 and bad.json["fields"] == ["status"]


async def test_get_a_ticket_with_its_transcript(
    app: Sanic, runtime: Runtime, rasa: FakeRasa
) -> None:
    ticket_id = open_ticket(runtime.db)
    found = await call(app, "GET", f"/api/tickets/{ticket_id}", "agent")
    assert found.status == 200
    ticket = Ticket.model_validate(found.json)
    assert ticket.transcript and ticket.transcript[0].role == "customer"
    assert (await call(app, "GET", "/api/tickets/TNOPE", "agent")).status == 404


async def test_claim_and_claiming_a_resolved_ticket_is_a_conflict(
    app: Sanic, runtime: Runtime, rasa: FakeRasa
) -> None:
    ticket_id = open_ticket(runtime.db)
    claimed = await call(app, "POST", f"/api/tickets/{ticket_id}/claim", "agent", {})
    assert claimed.status == 200
    assert (claimed.json["status"], claimed.json["assignee"]) == ("assigned", "agent")
    await call(app, "POST", f"/api/tickets/{ticket_id}/resolve", "agent", {})
    again = await call(app, "POST", f"/api/tickets/{ticket_id}/claim", "agent", {})
    assert again.status == 409 and again.json["error"] == "not possible in the ticket's status"
    assert (await call(app, "POST", "/api/tickets/TNOPE/claim", "agent", {})).status == 404


async def test_reply_reaches_the_customer_and_the_transcript(
    app: Sanic, runtime: Runtime, rasa: FakeRasa
) -> None:
    ticket_id = open_ticket(runtime.db)
    path = f"/api/tickets/{ticket_id}/reply"
    replied = await call(app, "POST", path, "agent", {"text": " Hi, Kari here! "})
    assert replied.status == 200, replied.text
    assert rasa.said == [("s-web-1", "Hi, Kari here!")]
    assert replied.json["transcript"][-1]["role"] == "agent"
    assert replied.json["first_reply_at"]
    empty = await call(app, "POST", path, "agent", {"text": "   "})
    assert empty.status == 400 and empty.json["fields"] == ["text"]
    assert (await call(app, "POST", path, "agent", {})).status == 400
    missing = await call(app, "POST", "/api/tickets/TNOPE/reply", "agent", {"text": "Hi"})
    assert missing.status == 404


async def test_rasa_down_is_a_502(app: Sanic, runtime: Runtime, rasa: FakeRasa) -> None:
    ticket_id = open_ticket(runtime.db)
    rasa.up = False
    response = await call(app, "POST", f"/api/tickets/{ticket_id}/reply", "agent", {"text": "Hi"})
    assert response.status == 502
    assert response.json == {"error": "Rasa's HTTP API could not be reached", "code": 502}


async def test_resolve_then_resolve_or_reply_again_is_a_conflict(
    app: Sanic, runtime: Runtime, rasa: FakeRasa
) -> None:
    ticket_id = open_ticket(runtime.db, reason="complaint")
    resolved = await call(app, "POST", f"/api/tickets/{ticket_id}/resolve", "agent", {})
    assert resolved.status == 200 and resolved.json["status"] == "resolved"
    assert resolved.json["follow_up_at"]
    again = await call(app, "POST", f"/api/tickets/{ticket_id}/resolve", "agent", {})
    assert again.status == 409
    reply = await call(app, "POST", f"/api/tickets/{ticket_id}/reply", "agent", {"text": "Hi"})
    assert reply.status == 409
    assert (await call(app, "POST", "/api/tickets/TNOPE/resolve", "agent", {})).status == 404


async def test_followups_and_marking_one_done(app: Sanic, runtime: Runtime, rasa: FakeRasa) -> None:
    ticket_id = open_ticket(runtime.db, reason="complaint")
    await call(app, "POST", f"/api/tickets/{ticket_id}/resolve", "agent", {})
    listed = await call(app, "GET", "/api/followups", "agent")
    assert listed.status == 200 and isinstance(listed.json["tickets"], list)
    done = await call(app, "POST", f"/api/tickets/{ticket_id}/followed-up", "agent", {})
    assert done.status == 200 and done.json["followed_up_at"]
    assert (await call(app, "POST", "/api/tickets/TNOPE/followed-up", "agent", {})).status == 404


async def test_queues_say_open_now_by_each_queues_calendar(app: Sanic, runtime: Runtime) -> None:
    open_ticket(runtime.db, queue="billing")
    response = await call(app, "GET", "/api/queues", "agent")
    assert response.status == 200
    [billing] = QueueList.model_validate(response.json).queues
    assert (billing.queue, billing.queued, billing.open_now, billing.calendar) == (
        "billing",
        1,
        True,
        "NO",
    )
    assert billing.closed_because is None and billing.opens_at is None
