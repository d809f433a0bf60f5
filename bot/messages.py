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
    "erasure_request": {
        "en": "You can have the personal data we hold about you erased. I have registered "
        "your request as {ticket}: a colleague will confirm that it is you, then delete your "
        "conversations, tickets and other data from all our systems, within 30 days at the "
        "latest. You can also write to {email}, or ask for a copy of your data first.",
        "nb": "Du kan få slettet personopplysningene vi har om deg. Jeg har registrert "
        "forespørselen din som {ticket}: en kollega bekrefter at det er deg, og sletter så "
        "samtalene, sakene og andre opplysninger om deg fra alle systemene våre, senest innen "
        "30 dager. Du kan også skrive til {email}, eller be om en kopi av opplysningene først.",
        "sv": "Du kan få de personuppgifter vi har om dig raderade. Jag har registrerat din "
        "begäran som {ticket}: en kollega bekräftar att det är du och raderar sedan dina samtal, "
        "ärenden och andra uppgifter från alla våra system, senast inom 30 dagar. Du kan också "
        "skriva till {email}, eller först be om en kopia av dina uppgifter.",
        "da": "Du kan få slettet de personoplysninger, vi har om dig. Jeg har registreret din "
        "anmodning som {ticket}: en kollega bekræfter, at det er dig, og sletter derefter dine "
        "samtaler, sager og andre oplysninger fra alle vores systemer, senest inden for 30 dage. "
        "Du kan også skrive til {email} eller først bede om en kopi af dine oplysninger.",
        "nl": "Je kunt de persoonsgegevens die we over je hebben laten wissen. Ik heb je "
        "verzoek geregistreerd als {ticket}: een collega controleert of jij het bent en "
        "verwijdert daarna je gesprekken, tickets en andere gegevens uit al onze systemen, "
        "uiterlijk binnen 30 dagen. Je kunt ook mailen naar {email}, of eerst een kopie van "
        "je gegevens opvragen.",
    },
    "access_request": {
        "en": "You can have a copy of the personal data we hold about you. I have registered "
        "your request as {ticket}: a colleague will confirm that it is you, then send you "
        "everything we hold, within 30 days at the latest. You can also write to {email}.",
        "nb": "Du kan få en kopi av personopplysningene vi har om deg. Jeg har registrert "
        "forespørselen din som {ticket}: en kollega bekrefter at det er deg, og sender deg så "
        "alt vi har, senest innen 30 dager. Du kan også skrive til {email}.",
        "sv": "Du kan få en kopia av de personuppgifter vi har om dig. Jag har registrerat din "
        "begäran som {ticket}: en kollega bekräftar att det är du och skickar sedan allt vi har, "
        "senast inom 30 dagar. Du kan också skriva till {email}.",
        "da": "Du kan få en kopi af de personoplysninger, vi har om dig. Jeg har registreret din "
        "anmodning som {ticket}: en kollega bekræfter, at det er dig, og sender dig derefter alt, "
        "vi har, senest inden for 30 dage. Du kan også skrive til {email}.",
        "nl": "Je kunt een kopie krijgen van de persoonsgegevens die we over je hebben. Ik heb "
        "je verzoek geregistreerd als {ticket}: een collega controleert of jij het bent en "
        "stuurt je daarna alles wat we hebben, uiterlijk binnen 30 dagen. Je kunt ook mailen "
        "naar {email}.",
    },
    "handoff_open": {
        "en": "I'm passing you to our {team} team. A person will take over this chat, "
        "usually {wait}. They can see our conversation, so you don't need to repeat anything.",
        "nb": "Jeg setter deg over til {team}. En person tar over denne chatten, vanligvis "
        "{wait}. De ser samtalen vår, så du trenger ikke gjenta noe.",
        "sv": "Jag kopplar dig till {team}. En person tar över den här chatten, oftast "
        "{wait}. De ser vårt samtal, så du behöver inte upprepa något.",
        "da": "Jeg stiller dig videre til {team}. En person overtager denne chat, normalt "
        "{wait}. De kan se vores samtale, så du behøver ikke gentage noget.",
        "nl": "Ik verbind je door met {team}. Een medewerker neemt deze chat over, meestal "
        "{wait}. Die ziet ons gesprek, dus je hoeft niets te herhalen.",
    },
    "wait_few": {
        "en": "within a few minutes",
        "nb": "innen noen få minutter",
        "sv": "inom några minuter",
        "da": "inden for få minutter",
        "nl": "binnen een paar minuten",
    },
    "wait_about": {
        "en": "within about {minutes} minutes",
        "nb": "innen omtrent {minutes} minutter",
        "sv": "inom ungefär {minutes} minuter",
        "da": "inden for cirka {minutes} minutter",
        "nl": "binnen ongeveer {minutes} minuten",
    },
    "wait_half_hour": {
        "en": "within about half an hour",
        "nb": "innen omtrent en halvtime",
        "sv": "inom ungefär en halvtimme",
        "da": "inden for cirka en halv time",
        "nl": "binnen ongeveer een half uur",
    },
    "wait_hour": {
        "en": "within about an hour",
        "nb": "innen omtrent en time",
        "sv": "inom ungefär en timme",
        "da": "inden for cirka en time",
        "nl": "binnen ongeveer een uur",
    },
    "handoff_busy": {
        "en": "I'm passing you to our {team} team and have opened case {ticket}. Right now "
        "everyone is busy, so it may take a long time before someone can reply here. If you'd "
        "rather not wait, write your phone number and we'll call you back, or your e-mail "
        "address and we'll answer by e-mail. Or keep this chat open: they can see our "
        "conversation, so you don't need to repeat anything.",
        "nb": "Jeg setter deg over til {team} og har opprettet sak {ticket}. Akkurat nå er "
        "alle opptatt, så det kan ta lang tid før noen kan svare her. Vil du heller slippe å "
        "vente, skriv telefonnummeret ditt, så ringer vi deg opp, eller e-postadressen din, "
        "så svarer vi på e-post. Du kan også la chatten stå åpen: de ser samtalen vår, så du "
        "trenger ikke gjenta noe.",
        "sv": "Jag kopplar dig till {team} och har skapat ärende {ticket}. Just nu är alla "
        "upptagna, så det kan dröja länge innan någon kan svara här. Vill du hellre slippa "
        "vänta, skriv ditt telefonnummer så ringer vi upp dig, eller din e-postadress så "
        "svarar vi via e-post. Du kan också låta chatten vara öppen: de ser vårt samtal, så "
        "du behöver inte upprepa något.",
        "da": "Jeg stiller dig videre til {team} og har oprettet sag {ticket}. Lige nu har "
        "alle travlt, så der kan gå lang tid, før nogen kan svare her. Vil du hellere undgå "
        "at vente, så skriv dit telefonnummer, så ringer vi dig op, eller din e-mailadresse, "
        "så svarer vi på e-mail. Du kan også lade chatten stå åben: de kan se vores samtale, "
        "så du behøver ikke gentage noget.",
        "nl": "Ik verbind je door met {team} en heb zaak {ticket} aangemaakt. Op dit moment "
        "is iedereen bezet, dus het kan lang duren voordat iemand hier kan reageren. Wil je "
        "liever niet wachten? Laat dan je telefoonnummer achter, dan bellen we je terug, of "
        "je e-mailadres, dan antwoorden we per mail. Je kunt deze chat ook openhouden: onze "
        "medewerkers zien ons gesprek, dus je hoeft niets te herhalen.",
    },
    "handoff_callback": {
        "en": "I've asked our {team} team to call you back (case {ticket}). Please write the "
        "phone number we should call, and a time that suits you if it matters. Someone "
        "usually picks it up {wait}.",
        "nb": "Jeg har bedt {team} om å ringe deg opp (sak {ticket}). Skriv telefonnummeret "
        "vi skal ringe, og gjerne når det passer. Vanligvis tar noen det {wait}.",
        "sv": "Jag har bett {team} att ringa upp dig (ärende {ticket}). Skriv telefonnumret "
        "vi ska ringa, och gärna när det passar dig. Oftast tar någon det {wait}.",
        "da": "Jeg har bedt {team} om at ringe dig op (sag {ticket}). Skriv det "
        "telefonnummer, vi skal ringe til, og gerne hvornår det passer. Normalt tager nogen "
        "sig af det {wait}.",
        "nl": "Ik heb {team} gevraagd je terug te bellen (zaak {ticket}). Schrijf het "
        "telefoonnummer waarop we je kunnen bellen, en eventueel wanneer het je uitkomt. "
        "Meestal pakt iemand het {wait} op.",
    },
    "handoff_callback_busy": {
        "en": "I've asked our {team} team to call you back (case {ticket}). Please write the "
        "phone number we should call, and a time that suits you. It is busy right now, so "
        "the call may take a while; if e-mail suits you better, write your e-mail address "
        "instead.",
        "nb": "Jeg har bedt {team} om å ringe deg opp (sak {ticket}). Skriv telefonnummeret "
        "vi skal ringe, og når det passer. Det er travelt akkurat nå, så det kan ta en stund "
        "før vi ringer; passer e-post bedre, skriv e-postadressen din i stedet.",
        "sv": "Jag har bett {team} att ringa upp dig (ärende {ticket}). Skriv telefonnumret "
        "vi ska ringa, och när det passar dig. Det är mycket just nu, så det kan dröja innan "
        "vi ringer; passar e-post bättre, skriv din e-postadress i stället.",
        "da": "Jeg har bedt {team} om at ringe dig op (sag {ticket}). Skriv det "
        "telefonnummer, vi skal ringe til, og hvornår det passer. Der er travlt lige nu, så "
        "der kan gå et stykke tid, før vi ringer; passer e-mail bedre, så skriv din "
        "e-mailadresse i stedet.",
        "nl": "Ik heb {team} gevraagd je terug te bellen (zaak {ticket}). Schrijf het "
        "telefoonnummer waarop we je kunnen bellen, en wanneer het je uitkomt. Het is nu "
        "druk, dus het kan even duren voordat we bellen; past e-mail beter, schrijf dan je "
        "e-mailadres.",
    },
    "handoff_closed": {
        "en": "Our {team} team is closed right now and opens again on {date} at {time}. I've "
        "opened case {ticket} with our conversation. Leave your phone number here if you'd "
        "like us to call you back, or your e-mail address for a written reply, and anything "
        "else we should know.",
        "nb": "{team} er stengt nå og åpner igjen {date} kl. {time}. Jeg har opprettet sak "
        "{ticket} med samtalen vår. Legg igjen telefonnummeret ditt her hvis du vil bli "
        "ringt opp, eller e-postadressen din for svar på e-post, og det vi ellers bør vite.",
        "sv": "{team} har stängt just nu och öppnar igen {date} kl. {time}. Jag har skapat "
        "ärende {ticket} med vårt samtal. Lämna ditt telefonnummer här om du vill bli "
        "uppringd, eller din e-postadress för svar via e-post, och allt annat vi bör veta.",
        "da": "{team} har lukket lige nu og åbner igen {date} kl. {time}. Jeg har oprettet "
        "sag {ticket} med vores samtale. Skriv dit telefonnummer her, hvis du vil ringes op, "
        "eller din e-mailadresse for et skriftligt svar, og hvad vi ellers bør vide.",
        "nl": "{team} is nu gesloten en is weer bereikbaar op {date} om {time}. Ik heb zaak "
        "{ticket} aangemaakt met ons gesprek. Laat hier je telefoonnummer achter als je "
        "teruggebeld wilt worden, of je e-mailadres voor een antwoord per mail, en alles "
        "wat we verder moeten weten.",
    },
    "handoff_complaint": {
        "en": "I'm sorry to hear that. I've opened complaint {ticket} for our complaints team, "
        "who reply within {hours} hours. Please tell me briefly what happened and what you "
        "would like us to do: everything you write here is added to your complaint.",
        "nb": "Det er jeg lei meg for å høre. Jeg har opprettet klagesak {ticket} hos "
        "klageavdelingen vår, som svarer innen {hours} timer. Fortell kort hva som skjedde "
        "og hva du ønsker at vi gjør: alt du skriver her, legges til i klagen.",
        "sv": "Det är jag ledsen att höra. Jag har skapat klagomålsärende {ticket} hos vårt "
        "klagomålsteam, som svarar inom {hours} timmar. Berätta kort vad som hände och vad "
        "du vill att vi gör: allt du skriver här läggs till i ditt klagomål.",
        "da": "Det er jeg ked af at høre. Jeg har oprettet klagesag {ticket} hos vores "
        "klageteam, som svarer inden for {hours} timer. Fortæl kort, hvad der skete, og hvad "
        "du gerne vil have, at vi gør: alt, hvad du skriver her, bliver føjet til klagen.",
        "nl": "Wat vervelend om te horen. Ik heb klacht {ticket} aangemaakt voor ons "
        "klachtenteam, dat binnen {hours} uur reageert. Vertel kort wat er is gebeurd en wat "
        "je van ons verwacht: alles wat je hier schrijft, wordt aan je klacht toegevoegd.",
    },
    "handoff_offer": {
        "en": "Would you rather talk to a person?",
        "nb": "Vil du heller snakke med en person?",
        "sv": "Vill du hellre prata med en person?",
        "da": "Vil du hellere tale med en person?",
        "nl": "Wil je liever met een medewerker praten?",
    },
    "talk_to_person": {
        "en": "Talk to a person",
        "nb": "Snakk med en person",
        "sv": "Prata med en person",
        "da": "Tal med en person",
        "nl": "Praat met een medewerker",
    },
    "handoff_resumed": {
        "en": "Our colleague has closed the chat. I'm the digital assistant again: just ask "
        "if there is anything else.",
        "nb": "Kollegaen vår har avsluttet chatten. Nå er det meg, den digitale assistenten, "
        "igjen: bare spør hvis det er noe mer.",
        "sv": "Vår kollega har avslutat chatten. Nu är det jag, den digitala assistenten, "
        "igen: fråga gärna om det är något mer.",
        "da": "Vores kollega har afsluttet chatten. Nu er det mig, den digitale assistent, "
        "igen: spørg bare, hvis der er mere.",
        "nl": "Onze collega heeft de chat afgesloten. Ik ben weer de digitale assistent: "
        "vraag gerust als er nog iets is.",
    },
    "team_general": {
        "en": "customer service",
        "nb": "kundeservice",
        "sv": "kundtjänst",
        "da": "kundeservice",
        "nl": "de klantenservice",
    },
    "team_billing": {
        "en": "billing",
        "nb": "fakturaavdelingen",
        "sv": "fakturaavdelningen",
        "da": "fakturaafdelingen",
        "nl": "de afdeling facturatie",
    },
    "team_logistics": {
        "en": "delivery",
        "nb": "leveringsteamet",
        "sv": "leveransteamet",
        "da": "leveringsteamet",
        "nl": "het bezorgteam",
    },
    "team_returns": {
        "en": "returns",
        "nb": "returavdelingen",
        "sv": "returavdelningen",
        "da": "returafdelingen",
        "nl": "de retourafdeling",
    },
    "team_complaints": {
        "en": "complaints",
        "nb": "klageavdelingen",
        "sv": "klagomålsteamet",
        "da": "klageafdelingen",
        "nl": "het klachtenteam",
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


def team_name(team: str, lang: str | None) -> str:
    """A queue's name for customers ('billing' → 'fakturaavdelingen'); the id when unnamed."""
    key = f"team_{team}"
    return message(key, lang) if key in MESSAGES else team
