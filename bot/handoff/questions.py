"""How many real questions one message asks: the count behind the `complex` trigger.

Customers chat: "hi! how are you? I bought a tent last week and I was wondering
how long I have to return it?" is one question, not two. Counting every '?' and
every clause that starts with "how" took the greeting for a question and handed
such messages off as complex. A question here is a sentence that ends in '?' or
a clause that opens with a question word, and that says something beyond small
talk ("how are you", "can you help me", "I have a question") and greetings:
at least `MIN_WORDS` words of its own.
"""

from __future__ import annotations

import re

from bot.handoff.signals import fold, folded_pattern

MIN_WORDS = 2

# A sentence ends at . ? ! ; or a line break, but not at the dot of a date ("17. mai", "1. maj").
# Split before folding: "scheelt €24. Kunnen jullie ..." is two sentences, not a date.
_SENTENCE = re.compile(r"(?:[^.?!;\n]|(?<=\d)\.(?= [a-zæøåäö]))+[.?!;\n]*")
# Commas, colons and numbering ("1) ... 2) ...") part a list of questions ("do you take Amex,
# can you ship to Switzerland, is the store open on Sunday?"); a part counts only when it opens
# with a question word, so "I ordered a tent, it came broken, can I return it?" stays one.
_LIST_BREAK = r"[,:]|\b\d\)"
_CLAUSE_BREAK = re.compile(
    _LIST_BREAK + r"|\b(?:and|og|och|en|also|plus|samt|dessuten|dessutom|ook)\b", re.IGNORECASE
)
_WORD = re.compile(r"\w+")
# A sentence whose listed parts ask this many questions is a list of them, each placed alone.
# Fewer stay one sentence: "how does it work, and where do I find it?" is one topic, and
# "where do I find it" alone would land anywhere.
LISTED = 3

QUESTION_WORDS = folded_pattern(
    [
        # en
        "how",
        "what",
        "when",
        "where",
        "why",
        "can i",
        "do you",
        "is it",
        "are you",
        # questions that open with their verb, as a list of several asks them
        "can you",
        "can we",
        "could i",
        "do i",
        "does",
        "is the",
        "is there",
        "are there",
        "will you",
        # nb
        "hvordan",
        "hva",
        "når",
        "hvor",
        "hvorfor",
        "kan jeg",
        "kan man",
        "kan dere",
        "har dere",
        "sender dere",
        "leverer dere",
        "selger dere",
        "tar dere",
        "er det",
        "finnes det",
        "gjelder det",
        # sv
        "hur",
        "vad",
        "när",
        "var",
        "varför",
        "kan jag",
        "kan ni",
        "har ni",
        "skickar ni",
        "levererar ni",
        "säljer ni",
        "tar ni",
        "går det",
        "finns det",
        "är det",
        "gäller det",
        # da
        "hvad",
        "hvornår",
        "kan i",
        "har i",
        "sender i",
        "leverer i",
        "sælger i",
        "tager i",
        "findes der",
        "gælder det",
        # nl
        "hoe",
        "wat",
        "wanneer",
        "waar",
        "waarom",
        "kan ik",
        "kunnen jullie",
        "kunt u",
        "kun je",
        "kan je",
        "hebben jullie",
        "leveren jullie",
        "verzenden jullie",
        "accepteren jullie",
        "verkopen jullie",
        "is er",
        "zijn er",
        "geldt",
    ]
)

# Exclamations that open like questions: "wat fijn dat ik voor de derde keer naar de retourpagina
# word gestuurd.", "what a great system". Without a question mark such a clause asks nothing: it
# is a statement (often sarcasm at the bot's reply, see frustration.reacts), never a question.
EXCLAMATIONS = folded_pattern(
    [
        # en
        "what a",
        "what an",
        "how nice",
        "how lovely",
        "how convenient",
        "how helpful",
        "how great",
        "how wonderful",
        "how typical",
        # nb, da ("hvor" also asks where: only with the adjective)
        "hvor fint",
        "hvor flott",
        "hvor deilig",
        "hvor dejligt",
        "hvor skont",
        "hvor herlig",
        "hvor herligt",
        "hvor praktisk",
        "hvor typisk",
        # sv
        "vad bra",
        "vad kul",
        "vad skont",
        "vad trevligt",
        "vad smidigt",
        "vad fint",
        "vad typiskt",
        # nl
        "wat fijn",
        "wat leuk",
        "wat handig",
        "wat mooi",
        "wat goed",
        "wat geweldig",
        "wat typisch",
        "wat een",
        "hoe fijn",
        "hoe handig",
    ]
)

# Pleasantries shaped like questions, and words that carry no question of their own.
SMALL_TALK = folded_pattern(
    [
        # en
        "how are you*",
        "how are u",
        "how's it going",
        "hows it going",
        "how is it going",
        "how do you do",
        "what's up",
        "whats up",
        "sup",
        "are you there",
        "anyone there",
        "anybody there",
        "is anyone there",
        "is somebody there",
        "can you help me",
        "could you help me",
        "can you help",
        "could you help",
        "can u help",
        "can you help me out",
        "i have a question",
        "i've got a question",
        "quick question",
        "a question",
        "hope you're well",
        "hope you are well",
        "are you a bot",
        "are you a robot",
        "are you real",
        # nb
        "hvordan går det",
        "hvordan har du det",
        "går det bra",
        "står det til",
        "hvordan står det til",
        "er det noen der",
        "kan du hjelpe meg",
        "kan dere hjelpe meg",
        "kan du hjelpe",
        "jeg har et spørsmål",
        "har et spørsmål",
        "et spørsmål",
        "er du en robot",
        # sv
        "hur mår du",
        "hur är läget",
        "läget",
        "hur går det",
        "är det någon där",
        "kan du hjälpa mig",
        "kan ni hjälpa mig",
        "kan du hjälpa",
        "jag har en fråga",
        "har en fråga",
        "en fråga",
        "är du en robot",
        # da
        "hvordan har du det",
        "er der nogen",
        "er der nogen der",
        "kan du hjælpe mig",
        "kan I hjælpe mig",
        "kan du hjælpe",
        "jeg har et spørgsmål",
        "har et spørgsmål",
        "et spørgsmål",
        "er du en robot",
        # nl
        "hoe gaat het",
        "hoe gaat het met je",
        "hoe gaat het met u",
        "hoe is het",
        "alles goed",
        "is daar iemand",
        "is er iemand",
        "kun je me helpen",
        "kan je me helpen",
        "kunt u mij helpen",
        "kunt u me helpen",
        "kunnen jullie me helpen",
        "ik heb een vraag",
        "heb een vraag",
        "een vraag",
        "ben je een robot",
    ]
)
FILLER = folded_pattern(
    [
        "hi",
        "hey",
        "hello",
        "hiya",
        "good morning",
        "good afternoon",
        "good evening",
        "thanks",
        "thank you",
        "please",
        "pls",
        "plz",
        "ok",
        "okay",
        "so",
        "hei",
        "heisann",
        "hallo",
        "god morgen",
        "god dag",
        "takk",
        "tack",
        "tak",
        "hej",
        "hejsan",
        "tjena",
        "goddag",
        "hoi",
        "hallo",
        "goedemorgen",
        "goedemiddag",
        "dag",
        "bedankt",
        "dank je",
        "dank u",
        "alvast bedankt",
        "groetjes",
        "mvh",
        "mvg",
        "vh",
        "lol",
        "btw",
        "again",
        "today",
        "there",
        "igjen",
        "igen",
        "i dag",
        "idag",
        "vandaag",
        "nog",
        "maar",
    ]
)


def questions(text: str) -> list[str]:
    """The message's real questions (folded), in order."""
    return [q for asked in questions_by_sentence(text) for q in asked]


def questions_by_sentence(text: str) -> list[list[str]]:
    """The real questions (folded) of each sentence that asks any, in order: "Kan I se, hvor
    pengene er blevet af?" is two clauses of one question (Danish puts a comma before the "hvor").
    """
    found: list[list[str]] = []
    for sentence in map(fold, _SENTENCE.findall(text)):
        clauses = [_without_lead(c) for c in _CLAUSE_BREAK.split(sentence.strip(" .?!;\n"))]
        asked = [
            c
            for c in clauses
            if QUESTION_WORDS.match(c) and not EXCLAMATIONS.match(c) and _substantive(c)
        ]
        if not asked and sentence.rstrip().endswith("?") and _substantive(sentence):
            asked = [_without_lead(sentence.strip(" ?"))]
        if asked:
            found.append(asked)
    return found


def question_count(text: str) -> int:
    """How many separate questions one message asks, small talk not counted."""
    return len(questions(text))


def question_sentences(text: str) -> list[str]:
    """The sentences (as the customer wrote them) that ask at least one real question; a
    sentence that lists LISTED or more is given part by part.

    What a search can place: "Er første service gratis?" finds its entry, the folded
    clause "er forste service gratis" less surely.
    """
    found: list[str] = []
    for sentence in _SENTENCE.findall(text):
        listed = [p.strip() for p in re.split(_LIST_BREAK, sentence) if questions(p)]
        if len(listed) >= LISTED:  # "do you take Amex, can you ship to Switzerland, is ...?"
            found += listed
        elif questions(sentence):
            found.append(sentence.strip())
    return found


def _without_lead(clause: str) -> str:
    """The clause from its first word that is not a greeting or filler ('hi, so how...')."""
    rest = clause.strip(" ,:-")
    while (lead := FILLER.match(rest)) is not None:
        rest = rest[lead.end() :].strip(" ,:-")
    return rest


def _substantive(clause: str) -> bool:
    """More than small talk and greetings: at least MIN_WORDS words of its own."""
    rest = FILLER.sub(" ", SMALL_TALK.sub(" ", clause))
    return len(_WORD.findall(rest)) >= MIN_WORDS
