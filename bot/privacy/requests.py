"""A customer asks for their data to be erased (GDPR article 17), or for a copy of it
(article 15), in so many words.

"delete my data", "slett dataene mine", "radera mina uppgifter", "slet mine
oplysninger", "verwijder mijn gegevens": a verb (or noun) of erasing near an object that
is the customer's own data, in either order, within a few words; or the right's own
name ("right to be forgotten"). The object may also be everything held about them
("Jeg vil at dere sletter alt dere har lagret om meg", "radera allt ni har sparat om
mig") or the customer themselves in a register ("delete me from your database", "slet
mig fra jeres kunderegister"). Matched on folded text (bot/handoff/signals.py), so
"glomd" and "glömd" are one word. This is a detector in the bot service, not a Rasa
intent: the words are data here and need no retraining, and `open_request`
does what the customer is owed: an answer in their language that says how it
works, and a ticket in the `privacy` queue for a person to confirm who they are
before anything is erased (the erasure itself is `bot privacy erase` or the API).

Deliberately not matched: "delete my account" and "delete my order" (a KB topic
and an order change, not a data-protection request: a shop's FAQ says how to close an
account, and its entry may itself ask for a person), "remove me from the newsletter"
(unsubscribing, not erasure), and questions about the policy ("how long do you keep
my data?", "do you delete my data?"). "Delete my account and all my data" names the
data and is a request.

A request for a copy ("what data do you have about me?", "kopi av opplysningene
mine", "inzage in mijn gegevens") is handled the same way, as an `access_request`;
a message that asks for both is an erasure request (its answer offers the copy).
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.handoff import tickets
from bot.handoff.clock import now as clock_now
from bot.handoff.conversation import Conversation
from bot.handoff.service import Handoff
from bot.handoff.signals import fold
from bot.messages import message
from bot.settings import Settings
from bot.storage import Database

REASON = "erasure_request"
ACCESS_REASON = "access_request"
REASONS = (REASON, ACCESS_REASON)
QUEUE = "privacy"
ANSWER_WITHIN = timedelta(days=30)  # GDPR art. 12(3): one month

_VERBS = (
    "delete|erase|remove|wipe|purge|get rid of|"  # en
    "slett|slette|slettes|slettet|fjern|fjerne|fjernet|"  # nb, da
    "radera|raderar|raderas|ta bort|tar bort|tas bort|sletter|"  # sv, nb
    "slet|"  # da
    "verwijder|verwijderen|verwijderd|verwijdert|wis|wissen|gewist|"  # nl
    # the request named as a noun: "request deletion of my data", "ber om sletting av ..."
    "deletion|erasure|removal|sletting|sletning|radering|verwijdering"
)
# After the object only ("my data deleted"): "I deleted the app and my data..." is no request.
_DONE = "deleted|erased|removed|wiped|raderade|raderad|raderat|borttagna|" + _VERBS
_NORDIC_DATA = r"(?:person)?(?:data|opplysning|oplysning)(?:erne|ene|er|ne)?"
# Everything held about the customer: "alt dere har lagret om meg", "all the data you
# have stored about me", "alles wat jullie over mij hebben" (a few words between).
_HELD = (
    "all|everything|alt|alle|allt|alla|alles|al|"
    "data|information|info|details|records|informasjon|informatie|gegevens|"
    r"(?:person)?(?:opplysning|oplysning|uppgift)\w*|persondata"
)
_ABOUT_ME = "about me|om meg|om mig|over mij"
# The customer in a register: "delete me from your database", "ta bort mig ur ert system".
_REGISTER = (
    r"(?:me|meg|mig|mij) (?:from|fra|fran|ur|uit|van)(?: \w+){0,2}? "
    r"(?:\w*system\w*|\w*systeem|\w*database\w*|\w*databas\w*|\w*register\w*|records|"
    r"\w*bestand)"
)
_OBJECTS = (
    "my (?:personal )?(?:data|information|info|details)|all (?:of )?my (?:personal )?data|"
    "(?:data|information|everything) (?:you (?:have|hold|store) )?(?:about|on) me|"
    rf"(?:alle? )?{_NORDIC_DATA} (?:mine|om meg|om mig)|(?:alle? )?mine {_NORDIC_DATA}|"
    "alt om (?:meg|mig)|mina (?:person)?(?:uppgifter|data)|min data|"
    "(?:person)?uppgifter(?:na)? om mig|allt om mig|"
    "mijn (?:persoons)?gegevens|mijn data|(?:alle )?gegevens over mij|alles over mij|"
    rf"(?:{_HELD})(?:\W+\w+){{0,4}}?\W+(?:{_ABOUT_ME})|{_REGISTER}"
)
_RIGHT = (
    "right to be forgotten|right to erasure|forget me|"
    "retten til a bli glemt|retten til at blive glemt|ratten att bli glomd|"
    "recht om vergeten te worden|recht op vergetelheid|"
    "glem meg|glem mig|glom mig|vergeet mij|vergeet me"
)
_GAP = r"(?:\W+\w+){0,4}?\W+"  # at most four words between, bounded: linear
_REQUEST = re.compile(
    rf"\b(?:(?:{_VERBS}){_GAP}(?:{_OBJECTS})|(?:{_OBJECTS}){_GAP}(?:{_DONE})|(?:{_RIGHT}))\b"
)
# Asking about the policy, not asking for it: "how long / when / why / do you ...".
_POLICY_QUESTION = re.compile(
    r"^\W*(?:how long|when|why|do you|does|will you|hvor lenge|nar|hvorfor|sletter dere|"
    r"hur lange|varfor|raderar ni|hvor laenge|hvornar|sletter i|hoe lang|wanneer|waarom|"
    r"verwijderen jullie|verwijdert u)\b"
)


_WHICH = "what|which|hvilke|hvilken|hva|vilka|vilken|vad|hvad|welke|wat"
_KEPT = (
    "stored|saved|kept|registered|lagret|lagra|registrert|sparat|registrerat|gemt|registreret|"
    "opgeslagen|bewaard|geregistreerd"
)
_SEE = "see|get|send|sende|se|fa|skicka|ta del av|zien|krijgen|sturen|ontvangen|inzien"
_ACCESS = re.compile(
    r"\b(?:"
    r"what (?:personal )?(?:data|information|info) (?:do )?you (?:have|hold|store|keep)"
    r" (?:about|on) me|what do you know about me|"
    r"(?:a )?copy of (?:all )?my (?:personal )?(?:data|information)|"
    r"(?:access to|download|export) (?:all )?my (?:personal )?data|right of access|"
    r"subject access request|"
    rf"hvilke {_NORDIC_DATA} (?:har dere|lagrer dere|har i|gemmer i) om (?:meg|mig)|"
    rf"kopi (?:av|af) (?:alle )?(?:{_NORDIC_DATA} mine|mine {_NORDIC_DATA})|"
    rf"innsyn i (?:mine )?{_NORDIC_DATA}|indsigt i (?:mine )?{_NORDIC_DATA}|"
    r"vilka (?:person)?uppgifter (?:har|sparar) ni om mig|"
    r"kopia (?:av|pa) (?:alla )?mina (?:person)?(?:uppgifter|data)|registerutdrag|"
    r"welke (?:persoons)?gegevens (?:hebben|bewaren) (?:jullie|u) (?:van|over) mij|"
    r"kopie van (?:al )?mijn (?:persoons)?gegevens|inzage in mijn (?:persoons)?gegevens|"
    r"inzageverzoek|"
    # What is held about me, asked in a few more words: "which information have you stored
    # about me", "hvilke opplysninger har dere lagret om meg", "hva dere har lagret om meg".
    rf"(?:{_WHICH})\W+(?:\w+\W+){{0,2}}?(?:{_HELD})(?:\W+\w+){{0,4}}?\W+(?:{_ABOUT_ME}|on me)|"
    rf"(?:{_WHICH})(?:\W+\w+){{1,4}}?\W+(?:{_KEPT})\W+(?:{_ABOUT_ME}|on me)|"
    rf"(?:{_SEE})\W+(?:\w+\W+){{0,3}}?(?:{_HELD})(?:\W+\w+){{0,4}}?\W+(?:{_ABOUT_ME}|on me)|"
    rf"(?:innsyn|indsigt|inzage)\W+(?:\w+\W+){{0,3}}?(?:{_HELD})(?:\W+\w+){{0,4}}?\W+"
    rf"(?:{_ABOUT_ME}|van mij)"
    r")\b"
)
# "What data do you need / collect about me?" asks what to give, or about the policy (a KB
# question), not for what is held.
_NOT_HELD = re.compile(
    r"\b(?:need|needs|require|collect|use|trenger|behover|behoever|nodig|samle|samler|samlar|"
    r"samla|indsamler|verzamelen|verzamelt|bruker|bruke|bruger|anvander|gebruiken|gebruikt)\b"
)


def privacy_request(text: str) -> tuple[str, list[str]] | None:
    """("erasure" | "access", the words) when the customer asks for one, else None."""
    if said := asks_erasure(text):
        return "erasure", said
    said = [m.group(0) for m in _ACCESS.finditer(fold(text))]
    if said := [words for words in said if not _NOT_HELD.search(words)]:
        return "access", said
    return None


def asks_erasure(text: str) -> list[str]:
    """The words with which the customer asked for their data to be erased, if any."""
    folded = fold(text)
    if _POLICY_QUESTION.search(folded):
        return []
    return [m.group(0) for m in _REQUEST.finditer(folded)]


SUMMARIES = {
    "erasure": "The customer asked for their personal data to be erased. Confirm that it is "
    "them, then erase their data (bot privacy erase, or the privacy API) and resolve this ticket.",
    "access": "The customer asked for a copy of their personal data. Confirm that it is "
    "them, then send them the export (bot privacy export, or the privacy API) and resolve "
    "this ticket.",
}


def open_request(
    db: Database, settings: Settings, conv: Conversation, kind: str, said: list[str]
) -> Handoff:
    """Open the erasure or access request for a person to confirm; tell the customer how it
    works."""
    reason = f"{kind}_request"
    now = clock_now(settings)
    latest = conv.latest
    ticket = tickets.open_ticket(
        db,
        tickets.NewTicket(
            sender_id=conv.sender_id,
            channel=conv.channel,
            lang=conv.lang,
            customer_id=conv.customer_id,
            tier=conv.tier,
            reason=reason,
            evidence=[f"asked for {kind}: {', '.join(said)!r}"],
            queue=QUEUE,
            priority="normal",
            summary=SUMMARIES[kind],
            topics=[],
            answers=[],
            transcript=list(conv.turns),
            paused_after=latest.at.timestamp() if latest and latest.at else None,
            due_at=now + ANSWER_WITHIN,
            details={"privacy": {"request": kind}},
        ),
        now,
    )
    text = message(reason, conv.lang, ticket=ticket["id"], email=settings.support_email)
    tickets.add_message(db, ticket["id"], "bot", text, now)
    custom = {
        "kind": "handoff",
        "ticket_id": ticket["id"],
        "reason": reason,
        "queue": QUEUE,
        "lang": conv.lang,
    }
    return Handoff(ticket["id"], reason, QUEUE, conv.lang, text, custom, ticket)
