"""The bot service's own sentences, in every supported language.

Rasa's responses (greeting, goodbye, ...) live in domain/responses.yml; these
are the sentences around knowledge-base answers, rendered by the actions.
"""

from __future__ import annotations

from typing import Any

FALLBACK = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "feedback_prompt": {
        "en": "Did this answer your question?",
        "nb": "Fikk du svar på spørsmålet ditt?",
        "sv": "Fick du svar på din fråga?",
        "da": "Fik du svar på dit spørgsmål?",
        "nl": "Heeft dit je vraag beantwoord?",
    },
    "yes": {"en": "Yes", "nb": "Ja", "sv": "Ja", "da": "Ja", "nl": "Ja"},
    "no": {"en": "No", "nb": "Nei", "sv": "Nej", "da": "Nej", "nl": "Nee"},
    "source": {
        "en": "Read more: {url}",
        "nb": "Les mer: {url}",
        "sv": "Läs mer: {url}",
        "da": "Læs mere: {url}",
        "nl": "Lees meer: {url}",
    },
    "clarify": {
        "en": "I found more than one possible answer. Which of these do you mean?",
        "nb": "Jeg fant flere mulige svar. Hvilket av disse mener du?",
        "sv": "Jag hittade flera möjliga svar. Vilket av dessa menar du?",
        "da": "Jeg fandt flere mulige svar. Hvilket af disse mener du?",
        "nl": "Ik vond meer dan één mogelijk antwoord. Welke bedoel je?",
    },
    "no_answer": {
        "en": "I'm sorry, I don't have a good answer to that. Could you rephrase your "
        "question? You can also reach our customer service at {phone} or {email}.",
        "nb": "Beklager, jeg har ikke et godt svar på det. Kan du formulere spørsmålet "
        "på en annen måte? Du kan også nå kundeservice på {phone} eller {email}.",
        "sv": "Tyvärr har jag inget bra svar på det. Kan du formulera frågan på ett annat "
        "sätt? Du kan också nå kundtjänst på {phone} eller {email}.",
        "da": "Beklager, jeg har ikke et godt svar på det. Kan du formulere spørgsmålet "
        "på en anden måde? Du kan også kontakte kundeservice på {phone} eller {email}.",
        "nl": "Sorry, daar heb ik geen goed antwoord op. Kun je je vraag anders stellen? "
        "Je kunt ook de klantenservice bereiken via {phone} of {email}.",
    },
    "feedback_thanks": {
        "en": "Great, glad I could help! Anything else?",
        "nb": "Så bra, godt å høre! Er det noe mer?",
        "sv": "Vad bra, kul att jag kunde hjälpa till! Något mer?",
        "da": "Godt, dejligt at jeg kunne hjælpe! Er der andet?",
        "nl": "Fijn dat ik kon helpen! Kan ik nog iets voor je doen?",
    },
    "feedback_sorry": {
        "en": "Sorry that didn't help. I've noted it so we can improve the answer. You can "
        "rephrase your question, or reach a person at {phone} or {email}.",
        "nb": "Beklager at det ikke hjalp. Jeg har notert det slik at vi kan forbedre svaret. "
        "Du kan spørre på en annen måte, eller nå en person på {phone} eller {email}.",
        "sv": "Förlåt att det inte hjälpte. Jag har noterat det så att vi kan förbättra svaret. "
        "Du kan formulera om frågan, eller nå en person på {phone} eller {email}.",
        "da": "Beklager, at det ikke hjalp. Jeg har noteret det, så vi kan forbedre svaret. "
        "Du kan omformulere spørgsmålet eller kontakte en person på {phone} eller {email}.",
        "nl": "Sorry dat dit niet hielp. Ik heb het genoteerd zodat we het antwoord kunnen "
        "verbeteren. Stel je vraag anders, of bereik een medewerker via {phone} of {email}.",
    },
    "contact_human": {
        "en": "I can't connect you to a person in this chat yet. Our customer service is "
        "happy to help at {phone} or {email}.",
        "nb": "Jeg kan ikke sette deg over til en person i denne chatten ennå. Kundeservice "
        "hjelper deg gjerne på {phone} eller {email}.",
        "sv": "Jag kan inte koppla dig till en person i den här chatten ännu. Kundtjänst "
        "hjälper dig gärna på {phone} eller {email}.",
        "da": "Jeg kan ikke stille dig videre til en person i denne chat endnu. Kundeservice "
        "hjælper dig gerne på {phone} eller {email}.",
        "nl": "Ik kan je in deze chat nog niet doorverbinden met een medewerker. De "
        "klantenservice helpt je graag via {phone} of {email}.",
    },
    "complaint": {
        "en": "I'm sorry to hear that. Please send your complaint to {email} or call "
        "{phone}; our team follows up every complaint.",
        "nb": "Det er jeg lei meg for å høre. Send klagen din til {email} eller ring {phone}, "
        "så følger teamet vårt den opp.",
        "sv": "Det är jag ledsen att höra. Skicka ditt klagomål till {email} eller ring "
        "{phone}, så följer vårt team upp det.",
        "da": "Det er jeg ked af at høre. Send din klage til {email} eller ring {phone}, "
        "så følger vores team op på den.",
        "nl": "Wat vervelend om te horen. Stuur je klacht naar {email} of bel {phone}; ons "
        "team volgt elke klacht op.",
    },
    "unreadable": {
        "en": "Sorry, I couldn't read that message. Could you ask your question in a few words?",
        "nb": "Beklager, jeg klarte ikke å lese den meldingen. Kan du stille spørsmålet med "
        "noen få ord?",
        "sv": "Förlåt, jag kunde inte läsa meddelandet. Kan du ställa din fråga med några få ord?",
        "da": "Beklager, jeg kunne ikke læse den besked. Kan du stille dit spørgsmål med få ord?",
        "nl": "Sorry, ik kon dat bericht niet lezen. Kun je je vraag in een paar woorden stellen?",
    },
    "unavailable": {
        "en": "Sorry, I can't look that up right now. Please try again in a moment, or "
        "reach us at {phone} or {email}.",
        "nb": "Beklager, jeg får ikke slått opp det akkurat nå. Prøv igjen om litt, eller "
        "kontakt oss på {phone} eller {email}.",
        "sv": "Tyvärr kan jag inte slå upp det just nu. Försök igen om en stund, eller "
        "kontakta oss på {phone} eller {email}.",
        "da": "Beklager, jeg kan ikke slå det op lige nu. Prøv igen om lidt, eller kontakt "
        "os på {phone} eller {email}.",
        "nl": "Sorry, ik kan dat nu niet opzoeken. Probeer het zo nog eens, of neem contact "
        "op via {phone} of {email}.",
    },
}


def message(key: str, lang: str | None, **values: Any) -> str:
    """The sentence `key` in `lang` (English when missing), with `values` filled in."""
    variants = MESSAGES[key]
    return variants.get(lang or FALLBACK, variants[FALLBACK]).format(**values)
