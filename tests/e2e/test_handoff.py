"""Handoff through the real Rasa server and bot service: triggers, pause, agent, resume.

One stack for the module, with a fixed clock (Tuesday 6 June 2028, 10:00 in
Oslo: Sweden's national day, an ordinary working day elsewhere), a console
token and user, and a webhook pointing at a local server that fails once.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bench.stack import Stack, running_stack
from bot.handoff import webhook
from bot.storage import Database
from bot.storage.models import Gap, GapOccurrence
from tests.browser import headless_chromium
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import answered, custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TOKEN = "agent-token-for-tests"
SECRET = "webhook-secret-for-tests"
CLOCK = "2028-06-06T10:00:00+02:00"
SENSITIVE_KB = """\
version: 1
entries:
  - id: delete_my_data
    lang: en
    question: How do I get all my personal data deleted?
    alternatives:
      - Delete my personal data
      - I want you to erase everything you store about me
    answer: A person from our privacy team handles deletion requests.
    team: privacy
    handoff: always
  - id: delete_my_data
    lang: nb
    question: Hvordan får jeg slettet alle personopplysningene mine?
    alternatives:
      - Slett personopplysningene mine
      - Jeg vil at dere sletter alt dere har lagret om meg
    answer: En person fra personvernteamet vårt behandler sletting.
    team: privacy
    handoff: always
  - id: close_account
    lang: en
    question: How do I close my customer account?
    alternatives:
      - I want to close my account
    answer: A person from our privacy team closes accounts.
    team: privacy
    handoff: always
  - id: close_account
    lang: nb
    question: Hvordan avslutter jeg kundekontoen min?
    alternatives:
      - Jeg vil avslutte kontoen min
    answer: En person fra personvernteamet vårt avslutter kontoer.
    team: privacy
    handoff: always
"""


class Hook:
    """A local webhook receiver that answers 500 to the first request, then 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, dict[str, str], bytes]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                status = 500 if not hook.requests else 200
                hook.requests.append((status, dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tickets"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def hook() -> Iterator[Hook]:
    receiver = Hook()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture(scope="module")
def hstack(tmp_path_factory: pytest.TempPathFactory, hook: Hook) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("handoff")
    kb = workdir / "kb"
    shutil.copytree(FIXTURE_KB, kb)
    (kb / "privacy.yml").write_text(SENSITIVE_KB, encoding="utf-8")
    env = {
        "BOT_CLOCK": CLOCK,
        "BOT_CONSOLE_TOKEN": TOKEN,
        "BOT_CONSOLE_USERS": "kari:secret:agent",
        "BOT_OPENING_HOURS": "default=mon-fri 08:00-20:00;complaints=mon-fri 08:00-16:00",
        # Swedish-speaking customers of the general queue reach a team in Sweden.
        "BOT_QUEUE_CALENDARS": "default=NO;general@sv=SE",
        "BOT_HANDOFF_WEBHOOK_URL": hook.url,
        "BOT_HANDOFF_WEBHOOK_SECRET": SECRET,
    }
    with running_stack(kb, workdir, extra_env=env) as running:
        yield running


def api(stack: Stack, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"authorization": f"Bearer {TOKEN}"}
    return httpx.request(method, f"{stack.bot_url}{path}", headers=headers, timeout=30, **kwargs)


def ticket(stack: Stack, ticket_id: str) -> dict[str, Any]:
    response = api(stack, "GET", f"/api/tickets/{ticket_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def handoff_of(messages: list[dict[str, Any]], reason: str, queue: str) -> dict[str, Any]:
    contract = custom_of(messages)
    assert contract["kind"] == "handoff", messages
    assert (contract["reason"], contract["queue"]) == (reason, queue), contract
    assert contract["ticket_id"]
    return contract


def tracker(stack: Stack, sender: str) -> dict[str, Any]:
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to someone",
        "Kan jeg få snakke med et menneske?",
        "Ik wil een medewerker spreken",
        "Haluan puhua ihmisen kanssa",
    ],
)
def test_requested_hands_off_to_general(hstack: Stack, text: str) -> None:
    messages = hstack.say(new_sender(), text)
    contract = handoff_of(messages, "requested", "general")
    found = ticket(hstack, contract["ticket_id"])
    assert found["status"] == "queued" and not found["out_of_hours"]
    assert found["transcript"][0] == {**found["transcript"][0], "role": "customer", "text": text}


@pytest.mark.parametrize(
    ("text", "lang", "asks"),
    [
        ("kan dere ringe meg tilbake?", "nb", "telefonnummeret"),
        ("Hei, kan noen fra kundeservice ringe meg i morgen?", "nb", "telefonnummeret"),
        ("bel me even terug", "nl", "telefoonnummer"),
        ("Kunnen jullie mij terugbellen over mijn bestelling?", "nl", "telefoonnummer"),
        ("could someone phone me", "en", "phone number"),
        ("ring mig op", "da", "telefonnummer"),
        ("Voitteko soittaa minulle huomenna?", "fi", "puhelinnumero"),
    ],
)
def test_callback_request_hands_off_as_requested_and_asks_for_the_number(
    hstack: Stack, text: str, lang: str, asks: str
) -> None:
    messages = hstack.say(new_sender(), text)
    contract = handoff_of(messages, "requested", "general")
    assert contract["lang"] == lang
    assert asks in messages[0]["text"] and contract["ticket_id"] in messages[0]["text"]
    found = ticket(hstack, contract["ticket_id"])
    assert found["details"]["callback_requested"] is True and not found["out_of_hours"]


def test_callback_request_on_swedish_national_day_takes_the_closed_hours_path(
    hstack: Stack,
) -> None:
    messages = hstack.say(new_sender(), "Hej! Kan ni ringa upp mig?")
    contract = handoff_of(messages, "requested", "general")
    assert "telefonnummer" in messages[0]["text"] and "öppnar igen" in messages[0]["text"]
    found = ticket(hstack, contract["ticket_id"])
    assert found["out_of_hours"] is True and found["details"]["callback_requested"] is True


@pytest.mark.parametrize(
    "text",
    [
        "what is your phone number?",
        "can I call customer service on Sunday?",
        "Hva er telefonnummeret deres?",
        "Kan jeg ringe kundeservice på lørdag?",
        "Wat is jullie telefoonnummer?",
        "Kan ik de klantenservice op zondag bellen?",
        "Mikä on asiakaspalvelun puhelinnumero?",
    ],
)
def test_asking_how_to_phone_us_is_not_a_handoff(hstack: Stack, text: str) -> None:
    contract = custom_of(hstack.say(new_sender(), text))
    assert contract["kind"] != "handoff", contract


def test_the_wait_told_is_a_number_people_say_or_the_callback_offer(hstack: Stack) -> None:
    messages = hstack.say(new_sender(), "I need a human please")
    contract = handoff_of(messages, "requested", "general")
    text = messages[0]["text"]
    wait = ticket(hstack, contract["ticket_id"])["details"]["wait"]
    if wait["long"]:
        assert "busy" in text and "phone number" in text
        assert not re.search(r"\d", text.replace(contract["ticket_id"], ""))
    else:
        minutes = [int(n) for n in re.findall(r"\d+", text)]
        assert all(n in (10, 15, 20, 45) for n in minutes), text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("This bot is fucking useless!!!", "en"),
        ("Faen, dette er jo helt ubrukelig!!!", "nb"),
        ("Vittu, tämä botti on täysin hyödytön!!!", "fi"),
    ],
)
def test_frustration_hands_off_with_signals_as_evidence(
    hstack: Stack, text: str, lang: str
) -> None:
    contract = handoff_of(hstack.say(new_sender(), text), "frustration", "general")
    found = ticket(hstack, contract["ticket_id"])
    assert found["lang"] == lang and found["priority"] == "high"
    assert any(e.startswith("swearing") for e in found["evidence"])
    assert any(e.startswith("useless") for e in found["evidence"])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("What is the capital of Peru?", "I mean, what is the capital city of Peru?"),
        ("Wat is de hoofdstad van Peru?", "Ik bedoel: wat is de hoofdstad van Peru?"),
    ],
)
def test_second_no_answer_in_a_row_hands_off(hstack: Stack, first: str, second: str) -> None:
    sender = new_sender()
    assert custom_of(hstack.say(sender, first))["kind"] == "no_answer"
    contract = handoff_of(hstack.say(sender, second), "repeated_failure", "general")
    transcript = ticket(hstack, contract["ticket_id"])["transcript"]
    assert [m["text"] for m in transcript if m["role"] == "customer"] == [first, second]


def test_two_unanswered_questions_about_different_things_offer_a_person_first(
    hstack: Stack,
) -> None:
    sender = new_sender()
    assert custom_of(hstack.say(sender, "What is the capital of Peru?"))["kind"] == "no_answer"
    messages = hstack.say(sender, "How high is Mount Everest?")
    assert custom_of(messages)["kind"] == "no_answer"
    assert "/request_human" in [b["payload"] for m in messages for b in m.get("buttons", [])]
    handoff_of(
        hstack.say(sender, "When did the Vikings reach Vinland?"), "repeated_failure", "general"
    )


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for order 123456, can you refund one of them?",
        "Jeg er blevet trukket to gange for ordre 778899",
    ],
)
def test_account_specific_question_is_complex(hstack: Stack, text: str) -> None:
    contract = custom_of(hstack.say(new_sender(), text))
    assert (contract["kind"], contract["reason"]) == ("handoff", "complex")
    evidence = ticket(hstack, contract["ticket_id"])["evidence"]
    assert any(e.startswith("reference") for e in evidence)


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("I want to make a complaint, the parcel was broken and I want a refund", "refund"),
        ("Jeg vil klage på leveringen, pakken kom helt ødelagt", None),
    ],
)
def test_complaint_opens_complaint_ticket_due_in_24_hours(
    hstack: Stack, text: str, wants: str | None
) -> None:
    contract = handoff_of(hstack.say(new_sender(), text), "complaint", "complaints")
    found = ticket(hstack, contract["ticket_id"])
    assert found["due_at"].startswith("2028-06-07T08:00")  # created 08:00 UTC, +24 h
    assert found["details"]["complaint"]["wants"] == wants
    assert found["details"]["complaint"]["category"] in ("delivery", "product")


@pytest.mark.parametrize(
    "text",
    [
        "How do I close my account?",
        "Hvordan avslutter jeg kontoen min?",
    ],
)
def test_entry_marked_always_is_a_sensitive_topic(hstack: Stack, text: str) -> None:
    """Closing an account is a KB question (bot/privacy/requests.py): its entry asks for
    a person, so it is a sensitive topic, not an erasure request."""
    handoff_of(hstack.say(new_sender(), text), "sensitive_topic", "privacy")


@pytest.mark.parametrize(
    "text",
    [
        "How can I get my personal data deleted?",
        "Jeg vil at dere sletter alt dere har lagret om meg",
    ],
)
def test_asking_for_erasure_opens_an_erasure_request(hstack: Stack, text: str) -> None:
    """The privacy entry is marked `always`, but an erasure request is more than a
    sensitive topic: a person must confirm it within the GDPR's month (issue 14)."""
    handoff_of(hstack.say(new_sender(), text), "erasure_request", "privacy")


def test_entry_marked_offer_answers_and_offers_a_person(hstack: Stack) -> None:
    messages = hstack.say(new_sender(), "How do I cancel my coffee subscription?")
    assert custom_of(messages)["kind"] == "answer"
    assert "/request_human" in [b["payload"] for b in messages[-1]["buttons"]]


@pytest.mark.parametrize(
    "text",
    ["Who won the football world cup in 1998?", "Wie heeft het WK voetbal van 1998 gewonnen?"],
)
def test_vip_customer_handed_off_at_first_gap(hstack: Stack, text: str) -> None:
    messages = hstack.say(new_sender(), text, customer=hstack.signed_customer("vip-1", "vip"))
    contract = handoff_of(messages, "vip", "general")
    assert ticket(hstack, contract["ticket_id"])["priority"] == "high"


@pytest.mark.parametrize(
    ("first", "again", "customer"),
    [
        ("How much does shipping cost?", "What does delivery cost?", "cust-en"),
        ("Hva koster frakten?", "Hvor mye må jeg betale for frakt?", "cust-nb"),
    ],
)
def test_same_customer_back_about_same_topic_is_repeat_contact(
    hstack: Stack, first: str, again: str, customer: str
) -> None:
    signed = hstack.signed_customer(customer)
    # The KB has the price only in English: its sibling (delivery time) may be close.
    _, reply = answered(hstack, new_sender(), first, "shipping_price", customer=signed)
    assert reply["kind"] == "answer" and reply["faq_id"] == "shipping_price"
    contract = handoff_of(
        hstack.say(new_sender(), again, customer=signed), "repeat_contact", "logistics"
    )
    assert ticket(hstack, contract["ticket_id"])["customer_id"] == customer


def test_handoff_after_an_answer_lands_in_the_gap_list(hstack: Stack) -> None:
    sender = new_sender()
    assert custom_of(hstack.say(sender, "How much does shipping cost?"))["kind"] == "answer"
    contract = custom_of(hstack.say(sender, "can I talk to someone"))
    assert contract["kind"] == "handoff" and contract["reason"] == "requested"
    db = Database(hstack.database_url)
    with db.session() as session:
        occurrence = session.scalars(
            select(GapOccurrence).where(GapOccurrence.sender_id == sender)
        ).one()
        assert (occurrence.kind, occurrence.faq_id) == ("handoff_after_answer", "shipping_price")
        gap = session.get(Gap, occurrence.gap_id)  # "answer not helping" for that entry
        assert gap is not None and gap.faq_id == "shipping_price"
    db.dispose()


def test_pause_agent_reply_and_resume(hstack: Stack) -> None:
    sender = new_sender()
    contract = handoff_of(hstack.say(sender, "agent please"), "requested", "general")
    ticket_id = contract["ticket_id"]

    assert hstack.say(sender, "My order number is 55512, hello?") == []  # the bot is paused
    paused = [m for m in ticket(hstack, ticket_id)["transcript"] if m["paused"]]
    assert [m["text"] for m in paused] == ["My order number is 55512, hello?"]

    assert api(hstack, "POST", f"/api/tickets/{ticket_id}/claim").json()["status"] == "assigned"
    replied = api(
        hstack, "POST", f"/api/tickets/{ticket_id}/reply", json={"text": "Hi, Kari here!"}
    )
    assert replied.status_code == 200, replied.text
    assert replied.json()["first_reply_at"]
    bot_texts = [e.get("text") for e in tracker(hstack, sender)["events"] if e["event"] == "bot"]
    assert "Hi, Kari here!" in bot_texts

    resolved = api(hstack, "POST", f"/api/tickets/{ticket_id}/resolve")
    assert resolved.json()["status"] == "resolved"
    assert tracker(hstack, sender)["paused"] is False
    assert custom_of(hstack.say(sender, "How much does shipping cost?"))["kind"] == "answer"


def test_out_of_hours_on_swedish_national_day_offers_callback(hstack: Stack) -> None:
    messages = hstack.say(new_sender(), "Jag vill prata med en människa, tack")
    contract = handoff_of(messages, "requested", "general")
    assert "telefonnummer" in messages[0]["text"] and contract["ticket_id"] in messages[0]["text"]
    found = ticket(hstack, contract["ticket_id"])
    assert found["out_of_hours"] is True
    assert found["details"]["closed"]["why"] == "Nationaldagen"  # the holidays package's name
    assert found["details"]["closed"]["opens_at"].startswith("2028-06-07T08:00")
    sender = found["sender_id"]
    assert hstack.say(sender, "Ring mig på +46 70 123 45 67") == []
    assert ticket(hstack, contract["ticket_id"])["details"]["callback"] == {
        "phone": "+46 70 123 45 67"
    }


def test_console_and_api_refuse_anonymous_requests(hstack: Stack) -> None:
    page = httpx.get(f"{hstack.bot_url}/console", timeout=10)
    assert page.status_code == 302 and page.headers["location"].startswith("/console/login")
    assert httpx.get(f"{hstack.bot_url}/api/tickets", timeout=10).status_code == 401
    wrong = {"authorization": "Bearer nope"}
    assert httpx.get(f"{hstack.bot_url}/api/tickets", headers=wrong, timeout=10).status_code == 401
    with httpx.Client(base_url=hstack.bot_url, timeout=10) as client:
        bad = client.post("/console/login", data={"name": "kari", "password": "wrong"})
        assert bad.status_code == 401
        good = client.post("/console/login", data={"name": "kari", "password": "secret"})
        assert good.status_code == 302
        assert client.get("/console").status_code == 200
    assert httpx.get(f"{hstack.bot_url}/api/openapi.json", timeout=10).json()["openapi"]


def test_webhook_delivers_signed_ticket_after_a_failure(hstack: Stack, hook: Hook) -> None:
    contract = handoff_of(hstack.say(new_sender(), "I need a human"), "requested", "general")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        delivered = [r for r in hook.requests if r[0] == 200]
        ids = [json.loads(body)["ticket"]["id"] for _, _, body in delivered]
        if contract["ticket_id"] in ids:
            break
        time.sleep(0.2)
    first_status, _, first_body = hook.requests[0]
    first_id = json.loads(first_body)["ticket"]["id"]
    assert first_status == 500  # the first delivery failed ...
    assert any(  # ... and was retried until it was accepted
        r[0] == 200 and json.loads(r[2])["ticket"]["id"] == first_id for r in hook.requests
    )
    _, headers, body = next(
        r
        for r in hook.requests
        if r[0] == 200 and json.loads(r[2])["ticket"]["id"] == contract["ticket_id"]
    )
    assert webhook.verify(SECRET, headers, body)  # Standard Webhooks: id, timestamp, signature
    assert json.loads(body)["event"] == "ticket.created"


def test_agent_logs_in_reads_and_replies_in_headless_chromium(hstack: Stack) -> None:
    sender = new_sender()
    hstack.say(sender, "How much does shipping cost?")
    contract = custom_of(hstack.say(sender, "I was charged twice for order 5512873!!"))
    assert (contract["kind"], contract["reason"]) == ("handoff", "complex")
    ticket_id = contract["ticket_id"]
    with headless_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{hstack.bot_url}/console")
        assert "/console/login" in page.url  # anonymous visitors land on the login page
        page.fill("input[name=name]", "kari")
        page.fill("input[name=password]", "secret")
        page.click("button[type=submit]")
        page.click(f"text={ticket_id}")
        assert "charged twice" in page.inner_text("#summary")
        page.fill("#reply-text", "Hi, this is Kari. I can see the double charge; refunding now.")
        page.click("#send")
        page.wait_for_selector("li.agent")
        page.screenshot(path=str(hstack.workdir / "console_ticket.png"), full_page=True)
    transcript = ticket(hstack, ticket_id)["transcript"]
    assert transcript[-1]["role"] == "agent" and transcript[-1]["author"] == "kari"
