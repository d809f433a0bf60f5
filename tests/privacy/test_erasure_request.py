"""'Delete my data' in five languages opens an erasure request, 'a copy of my data' an access
request; questions about the policy, and deleting an order or an account, do neither."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.handoff.conversation import Conversation, Turn
from bot.privacy.requests import QUEUE, REASON, asks_erasure, open_request, privacy_request
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models import Ticket

REQUESTS = {
    "en": [
        "Please delete my data",
        "I want all my personal data erased",
        "right to be forgotten",
        "I want you to delete everything you have stored about me",
        "Please remove me from your database",
        "Request deletion of my personal data",
        "Delete my account and all my data",
    ],
    "nb": [
        "Kan dere slette dataene mine?",
        "Jeg vil ha personopplysningene mine slettet",
        "Jeg vil at dere sletter alt dere har lagret om meg",
        "slett alle opplysningene mine",
        "Kan dere fjerne meg fra kunderegisteret deres?",
        "Jeg ber om sletting av personopplysningene mine",
    ],
    "sv": [
        "Radera mina uppgifter",
        "jag vill att ni tar bort mina personuppgifter",
        "Jag vill att ni raderar allt ni har sparat om mig",
        "Ta bort mig ur ert kundregister",
        "Jag begär radering av mina personuppgifter",
    ],
    "da": [
        "Slet mine data",
        "slet venligst alle oplysninger om mig",
        "Jeg vil have at I sletter alt hvad I har gemt om mig",
        "Slet mig fra jeres system",
        "Jeg anmoder om sletning af mine personoplysninger",
    ],
    "nl": [
        "Verwijder mijn gegevens",
        "ik wil dat jullie al mijn persoonsgegevens verwijderen",
        "verwijder al mijn gegevens",
        "Ik wil dat jullie alles wat jullie over mij hebben opgeslagen verwijderen",
        "Verwijder mij uit jullie klantenbestand",
        "Verzoek tot verwijdering van mijn persoonsgegevens",
    ],
}
# Closing an account is a KB question (the shop's FAQ says how, and its entry may ask for a
# person); unsubscribing is not erasure; a cart, an order or an app is not the customer's data.
NOT_REQUESTS = [
    "How long do you keep my data?",
    "do you delete my data after 30 days?",
    "How do I delete my account?",
    "delete my order",
    "I deleted the app and my data is gone",
    "remove me from the newsletter",
    "Can you remove the item from my order?",
    "delete everything in my cart",
    "remove all the charges on me",
    "Hvor lenge lagrer dere dataene mine?",
    "Slett bestillingen min",
    "Hvordan sletter jeg kontoen min?",
    "Kan dere fjerne meg fra nyhetsbrevet?",
    "Fjern alt fra handlekurven min",
    "Jeg har slettet appen, hva vet dere om meg?",
    "Hur länge sparar ni mina uppgifter?",
    "Ta bort varan från min order",
    "Ta bort allt i varukorgen",
    "Raderar ni mina uppgifter?",
    "Hvornår sletter I mine data?",
    "Slet alle varer fra min kurv",
    "verwijder het product uit mijn winkelwagen",
    "Verwijder alle producten uit mijn winkelwagen",
    "verwijder mij van de mailinglijst",
    "Hoe lang bewaren jullie mijn gegevens?",
]


@pytest.mark.parametrize("text", [t for texts in REQUESTS.values() for t in texts])
def test_erasure_requests_found(text: str) -> None:
    assert asks_erasure(text)


def test_erasure_words_are_checked_in_linear_time() -> None:
    """Customer text is hostile: the bounded gaps keep a 2,000-character message cheap."""
    texts = ("me from " * 250, "alt " * 500, "slett " * 333, ("all " + "x " * 3) * 200)
    for text in (*texts, "hva " * 500, "innsyn " * 280, ("which " + "x " * 3) * 200):
        started = time.perf_counter()
        privacy_request(text)
        assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_other_messages_about_data_or_deleting_are_not(text: str) -> None:
    assert asks_erasure(text) == []


ACCESS = [
    "What personal data do you have about me?",
    "Can I get a copy of my data?",
    "Hvilke opplysninger har dere om meg?",
    "Jeg vil ha en kopi av opplysningene mine",
    "Vilka uppgifter har ni om mig?",
    "Jag vill ha ett registerutdrag",
    "Hvilke oplysninger har I om mig?",
    "Jeg vil have en kopi af mine oplysninger",
    "Welke gegevens hebben jullie over mij?",
    "Ik wil graag inzage in mijn gegevens",
    "What information have you stored about me?",
    "Send me all the data you have on me",
    "kan jeg få innsyn i hvilke data dere har lagret om meg?",
    "Jeg vil se hva dere har lagret om meg",
    "Vilka personuppgifter har ni sparat om mig?",
    "Jeg vil gerne se hvilke oplysninger I har om mig",
    "Welke gegevens hebben jullie opgeslagen over mij?",
    "Ik wil inzage in de gegevens die jullie van mij hebben",
]
# Asking what to give, or about the policy in general, is a KB question.
NOT_ACCESS = [
    "What data do you need about me to ship the order?",
    "What data do you collect about me?",
    "Which information do you need from me?",
    "Can I see my order?",
    "What do you think about me?",
    "Hvilken størrelse passer for meg?",
    "Se alle ordrene mine",
    "inzage in de gegevens van mijn bestelling",
]


@pytest.mark.parametrize("text", ACCESS)
def test_access_requests_found(text: str) -> None:
    assert privacy_request(text) is not None
    assert privacy_request(text)[0] == "access"  # type: ignore[index]


@pytest.mark.parametrize("text", NOT_ACCESS)
def test_questions_about_what_is_needed_or_collected_are_not_access_requests(text: str) -> None:
    assert privacy_request(text) is None


def test_a_copy_and_then_erasure_is_an_erasure_request() -> None:
    asked = privacy_request("Send me a copy of my data and then delete my data")
    assert asked is not None and asked[0] == "erasure"
    for text in [*NOT_REQUESTS, "What data do you need to send a parcel?", "copy of my invoice"]:
        assert privacy_request(text) is None, text


def test_request_opens_a_privacy_ticket_and_answers_in_the_customers_language(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    db.migrate()
    settings = replace(Settings.from_env({}), clock="2026-06-01T12:00:00+00:00")
    at = datetime(2026, 6, 1, 11, 59, tzinfo=UTC)
    conv = Conversation(
        sender_id="wa-4791234567",
        turns=(Turn("customer", "Kan dere slette dataene mine?", at),),
        channel="whatsapp",
        lang="nb",
        customer_id=None,
        tier=None,
    )
    handoff = open_request(db, settings, conv, "erasure", asks_erasure(conv.turns[0].text))
    assert (handoff.reason, handoff.queue, handoff.lang) == (REASON, QUEUE, "nb")
    assert handoff.ticket_id in handoff.text and "slettet" in handoff.text
    with db.session() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert (ticket.queue, ticket.reason, ticket.sender_id) == (QUEUE, REASON, "wa-4791234567")
        due = ticket.due_at if ticket.due_at.tzinfo else ticket.due_at.replace(tzinfo=UTC)
        assert due == datetime(2026, 6, 1, 12, 0, tzinfo=UTC) + timedelta(days=30)
        assert [m.role for m in ticket.messages] == ["customer", "bot"]
    db.dispose()
