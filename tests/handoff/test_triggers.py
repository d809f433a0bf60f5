from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import account, questions, signals, triggers
from bot.handoff.frustration import frustration, word_signals
from bot.handoff.summary import key_sentences
from tests.handoff.helpers import START, bot, conversation, said

CONFIG = triggers.HandoffConfig()


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to someone",
        "agent!!",
        "menneske",
        "Kan jeg snakke med en person?",
        "Jag vill prata med kundtjänst",
        "Må jeg tale med en person?",
        "Kan ik een medewerker spreken?",
        "Voinko puhua ihmisen kanssa?",
        "could we talk this through with one of your colleagues?",
        "Kan du sende mig videre til en kollega?",
        "Ik bespreek het liever met een medewerker",
        "Soittakaa minulle huomenna",
        "Er det mulig å få snakke med en av dere som jobber der, i stedet for en robot?",
        "Kan jag få prata med någon av er?",
    ],
)
def test_request_for_a_person_found_in_every_language(text: str) -> None:
    found = triggers.requested(conversation(text))
    assert found is not None and found.reason == "requested" and found.evidence


@pytest.mark.parametrize(
    "text",
    [
        "How long does delivery take?",
        "Hvor lang er leveringstiden?",
        "Mens du venter, hva koster frakt?",
        "Mikä on asiakaspalvelun puhelinnumero?",
    ],
)
def test_ordinary_questions_are_no_request(text: str) -> None:
    assert triggers.requested(conversation(text)) is None


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("THIS IS NOT WHAT I ASKED FOR", "shouting"),
        ("Dette er helt ubrukelig", "useless"),
        ("Waarom duurt dit zo lang???", "punctuation"),
        ("Vad i helvete håller ni på med", "swearing"),
        ("Tak for ingenting", "sarcasm"),
        ("Tämä on aivan hyödytöntä", "useless"),
        ("Vittu mitä paskaa", "swearing"),
        ("Kiitos ei mistään", "sarcasm"),
    ],
)
def test_each_frustration_signal_is_evidence(text: str, signal: str) -> None:
    assert any(e.startswith(signal) for e in frustration(conversation(text)).evidence)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Jeg har nå ventet i ni dager på en pakke som skulle komme på 2-4 dager.", "waited"),
        ("Nu har min son väntat sedan september på en cykel.", "waited"),
        ("I have been waiting three weeks for my refund", "waited"),
        ("Ik wacht nu vijf weken op een terugbetaling.", "waited"),
        ("I wrote to you twice last week and nobody has answered", "no_reply"),
        ("Seks dage har min ordre stået som modtaget, og ingen har skrevet en linje.", "no_reply"),
        ("Tre veckor utan paket och ingen svarar på mejlen", "no_reply"),
        ("nog steeds geen geld terug en niemand reageert op mijn mails", "no_reply"),
        ("This is the fourth time I'm writing about the same jacket.", "written_before"),
        ("Jag har mejlat två gånger och ringt en gång om samma sak.", "written_before"),
        (
            "Beklager at jeg maser, men dette er fjerde gang jeg tar kontakt om returen.",
            "written_before",
        ),
        (
            "Ik heb nu vier keer gebeld en twee keer gemaild over mijn kapotte tent.",
            "written_before",
        ),
    ],
)
def test_a_broken_promise_or_a_repeat_contact_told_hands_off_alone(text: str, signal: str) -> None:
    """Waiting told in days, nobody answering, the fourth time writing: no model needed."""
    found = triggers.frustrated(conversation(text), CONFIG)
    assert found is not None and not found.offer_only
    assert any(e.startswith(f"{signal}: ") for e in found.evidence)


def test_the_third_time_one_orders_is_no_repeat_contact() -> None:
    assert not signals.find(signals.WRITTEN_BEFORE, "third time I order from you, love the boots")


@pytest.mark.parametrize(
    "text",
    [
        "How many days do I have to wait for a refund?",
        "Is there a waiting period of 14 days before I can return it?",
        "Jeg har ventet 20 minutter på bussen",  # minutes: no broken promise of ours
        "Hvor lang er telefonkøen i dag?",  # a queue asked about, not sat in
        "Oké, dan wacht ik nog een paar dagen",  # a plan, not a complaint
    ],
)
def test_waiting_asked_about_or_told_in_minutes_is_no_signal(text: str) -> None:
    assert not signals.find(signals.WAITED, text)


@pytest.mark.parametrize(
    "text",
    [
        "Jeg har ventet 20 minutter i telefonkøen",
        "Har suttit i telefonkö i 40 minuter och nu hänger sig chatten också.",
        "I did ring. Twice. 25 minutes on hold each time",
        "de wachtrij duurde 45 minuten",
    ],
)
def test_a_phone_queue_told_with_its_length_is_waiting(text: str) -> None:
    assert signals.find(signals.WAITED, text)


def test_frustration_offers_then_hands_off_as_it_grows() -> None:
    calm = conversation("How long does delivery take?")
    assert triggers.frustrated(calm, CONFIG) is None
    offer = triggers.frustrated(conversation("this is useless!!"), CONFIG)
    assert offer is not None and offer.offer_only
    high = triggers.frustrated(
        conversation("this is useless!!", "STILL NO ANSWER, WHAT A JOKE"), CONFIG
    )
    assert high is not None and not high.offer_only and high.score is not None


@pytest.mark.parametrize(
    "then",
    [
        "I've just told you it hasn't shipped. Can anyone change the address?",
        "Men det är ju precis det jag säger, den har inte lämnat lagret.",
        "Jeg har allerede prøvd det, to ganger.",
        "Nå, så lader jeg det ligge. Jeg gider ikke bruge aftenen på det.",
        "laat maar, ik geef het op",
    ],
)
def test_insisting_or_giving_up_offers_and_after_the_bots_reply_hands_off(then: str) -> None:
    alone = triggers.frustrated(conversation(then), CONFIG)
    assert alone is not None and alone.offer_only, then
    # right after an answer it says that answer did not help, as after a no-answer
    for reply in (bot("answer", "x"), bot("no_answer")):
        found = triggers.frustrated(conversation("q", reply, then), CONFIG)
        assert found is not None and not found.offer_only, then
        assert any(e.startswith("after_failures") for e in found.evidence)


def test_a_choice_of_answers_passed_over_is_a_poor_answer() -> None:
    passed_over = conversation("q", bot("clarify"), "I've just told you")
    found = triggers.frustrated(passed_over, CONFIG)
    assert found is not None and not found.offer_only
    assert "after_failures: after 1 poor answer" in found.evidence
    picked = conversation("q", bot("clarify"), said("/choose_faq", "choose_faq"), "as I said")
    found = triggers.frustrated(picked, CONFIG)
    assert found is not None and found.offer_only  # a button was pressed: the choice served


def test_same_question_again_and_negative_feedback_count() -> None:
    conv = conversation(
        "how do I return a coffee",
        bot("answer", "return_coffee"),
        said("/feedback_not_helpful", "feedback_not_helpful"),
        "how do I return a coffee?",
    )
    evidence = frustration(conv).evidence
    assert any(e.startswith("repeated_question") for e in evidence)
    assert any(e.startswith("negative_feedback") for e in evidence)


def test_two_failures_in_a_row_hand_off_but_a_success_resets() -> None:
    conv = conversation("what is the capital of Peru", bot("no_answer"), "I mean the city?")
    found = triggers.repeated_failure(conv, "no_answer", CONFIG)
    assert found is not None and not found.offer_only
    reset = conversation("peru?", bot("no_answer"), "delivery?", bot("answer", "x"), "1998?")
    assert triggers.repeated_failure(reset, "no_answer", CONFIG) is None
    unhelpful = conversation(
        "delivery?", bot("answer", "x"), said("/feedback_not_helpful", "feedback_not_helpful"), "hm"
    )
    assert triggers.failure_streak(unhelpful.turns[:-1]) == 1
    assert triggers.repeated_failure(unhelpful, "no_answer", CONFIG) is not None


def test_two_unanswered_questions_about_different_things_offer_a_person_and_a_third_hands_off() -> (
    None
):
    conv = conversation(
        "do you rent out tents?", bot("no_answer"), "what does a kayak course cost?"
    )
    found = triggers.repeated_failure(conv, "no_answer", CONFIG)
    assert found is not None and found.offer_only
    assert found.evidence == (
        "2 unanswered or unhelpful turns in a row",
        "asked about something else",
    )
    third = conversation(*conv.turns, bot("no_answer"), "and when are you open on sundays?")
    found = triggers.repeated_failure(third, "no_answer", CONFIG)
    assert found is not None and not found.offer_only


@pytest.mark.parametrize(
    "then",
    [
        "jag menar alltså: hyr ni ut tält?",  # asks the same again
        "do you rent out tents?",  # word for word
        "forget it",  # no question: a reaction
        "what do you even know??",  # not calm
    ],
)
def test_a_second_failure_that_asks_again_or_reacts_hands_off(then: str) -> None:
    conv = conversation("do you rent out tents?", bot("no_answer"), then)
    found = triggers.repeated_failure(conv, "no_answer", CONFIG)
    assert found is not None and not found.offer_only, then
    rated = conversation(
        "tents?",
        bot("no_answer"),
        said("/feedback_not_helpful", "feedback_not_helpful"),
        "what does a kayak course cost?",
    )
    found = triggers.repeated_failure(rated, "no_answer", CONFIG)
    assert found is not None and not found.offer_only  # a 👎 on the way says it failed them


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("that's not what I asked", "still doesnt answer my question"),
        ("det var ikke det jeg spurte om", "fortsatt ikke svar"),
        ("det var inte det jag frågade", "fortfarande inget svar på min fråga"),
        ("det svarer ikke på mit spørgsmål", "stadig intet svar"),
        ("dat vroeg ik niet", "nog steeds geen antwoord"),
        ("Det svarte ikke på det jeg spurte om.", "fortsatt ikke svar"),
        ("that didn't answer what I asked", "still no answer"),
    ],
)
def test_answers_the_customer_says_missed_are_failures_in_a_row(first: str, then: str) -> None:
    once = conversation("can my brother collect my order", bot("answer", "x"), first)
    assert triggers.repeated_failure(once, "answer", CONFIG) is None  # one miss: keep talking
    found = triggers.repeated_failure(once, "no_answer", CONFIG)  # ... then the KB has nothing
    assert found is not None and any("said the answer missed" in e for e in found.evidence)
    twice = conversation(
        "can my brother collect my order", bot("answer", "x"), first, bot("answer", "x"), then
    )
    found = triggers.repeated_failure(twice, "answer", CONFIG)
    assert found is not None and found.evidence[0].startswith("2 unanswered or unhelpful")


def test_not_what_i_asked_before_any_answer_is_no_failure() -> None:
    first = conversation("wrong answer? I have not asked anything yet")
    assert triggers.failure_streak(first.turns) == 0
    assert triggers.repeated_failure(first, "no_answer", CONFIG) is None
    both = conversation(
        "q",
        bot("answer", "x"),
        said("/feedback_not_helpful", "feedback_not_helpful"),
        "wrong answer",
    )
    assert triggers.failure_streak(both.turns) == 1  # one answer, one failure


def test_a_correction_or_a_thank_you_is_no_missed_answer() -> None:
    corrected = conversation(
        "how much is shipping", bot("answer", "x"), "sorry, I meant shipping to Sweden"
    )
    assert triggers.repeated_failure(corrected, "answer", CONFIG) is None
    thanked = conversation(
        "q", bot("answer", "x"), "not what I asked", bot("answer", "y"), "thanks, that's it"
    )
    assert triggers.repeated_failure(thanked, "answer", CONFIG) is None


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for order 123456",
        "Jeg er blevet trukket to gange",
        "Ik heb twee keer afgeschreven gekregen",
        "Kan ni flytta kontot? Medlemsnumret står på mitt klubbkort: 7720-1184.",
        "Mit medlemsnummer er 3318-0925, kan I se hvad der er galt?",
        "Jeg købte en cykel i maj (kvitteringsnr. 3349-2210), og gearet har drillet fra starten.",
        "Order 5520913 is still not here.",  # a number and no question: their own case
    ],
)
def test_account_problems_are_complex(text: str) -> None:
    found = triggers.complex_now(conversation(text), CONFIG)
    assert found is not None and found.reason == "complex"


@pytest.mark.parametrize(
    "text",
    [
        "VARFÖR har ni dragit pengarna två gånger??? fixa det nu",
        "the full NOK 2,349 was taken from my card two times this morning",
        "so I have paid about 600 kr too much. Can you sort it out?",
        "dus ik heb ongeveer € 60 te veel betaald",
        "og nå er det trukket 1 499 kr to ganger fra kontoen min",
        "I returned both, but I have only been refunded for the sleeping bag",  # part of a refund
        "men har bare fått refundert soveposen, 899 kr",
        "Jeg har visst to kontoer hos dere, og bonuspoengene er fordelt på begge.",  # two accounts
        "Mijn vader is in oktober overleden. Hij had een account bij jullie.",  # a bereavement
        "Jeg har nu fået den forkerte størrelse TO gange",  # the shop's mistake, not the customer's
        "my refund never came",  # a refund that never came, however short
        "mijn geld van de retour is nooit gekomen",
        "De fiets is er nog steeds niet. Wat moet ik haar vertellen?",  # still not here
        "Ordre 91023345 er STADIG ikke kommet",
    ],
)
def test_a_listed_problem_is_found_with_the_customers_own_words_inside_it(text: str) -> None:
    found = triggers.complex_now(conversation(text), CONFIG)
    assert found is not None and any("account problem" in e for e in found.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "I paid for it. Twice I asked whether that works",  # two sentences
        "I have paid with Klarna many times before, can I split it this time?",
        "was I charged for the express shipping or the regular one?",
        "I ordered the wrong size, can I exchange it?",  # the customer's own mistake: a FAQ
        "the bus never came and i had to take a taxi, do i get money back",  # a transit FAQ
    ],
)
def test_a_gap_in_a_listed_problem_spans_a_few_words_of_one_sentence(text: str) -> None:
    assert not signals.find(signals.ACCOUNT_PROBLEM, text)


def test_a_named_number_is_the_customers_own_but_the_ticket_never_holds_it() -> None:
    found = triggers.complex_now(conversation("Mitt medlemsnummer er 4471-2290."), CONFIG)
    assert found is not None and found.evidence == ("gives their medlemsnummer with its number",)
    for text in (
        "where do I find my order number?",  # names it, gives none
        "ordrenummeret fikk jeg i 2024",  # a year is no number of four digits after the name
        "my member number is 12",  # too short to be one
        "What is an order number? I ordered 2 tents. It cost 2000 kr.",  # another sentence
    ):
        assert triggers.complex_now(conversation(text), CONFIG) is None, text


def test_a_short_question_with_an_order_number_waits_for_the_kb_and_offers_a_person() -> None:
    conv = conversation("placed order 30418872 20 mins ago, can I still switch to a pickup point?")
    assert triggers.complex_now(conv, CONFIG) is None
    for outcome in ("answer", "clarify", "no_answer"):
        found = triggers.complex_reference(conv, outcome)
        assert found is not None and found.offer_only and found.reason == "complex"
    no_number = conversation("can I switch to a pickup point?")
    assert triggers.complex_reference(no_number, "answer") is None


@pytest.mark.parametrize(
    "text",
    [
        "Paketet för order 31488020 står som levererat till ett ombud i Huddinge, men jag valde "
        "ICA vid Fridhemsplan. Kan ni få det flyttat?",
        # "€24." ends a sentence: the date rule ("17. mai") must not join the question to it
        "Korting niet afgegaan, order NV-2248615, scheelt €24. Kunnen jullie dat terugstorten?",
        "Bestelling 70087702: er zat een fleecevest in de doos. Hoe lossen we dit op?",  # "we"
    ],
)
def test_an_order_number_with_a_question_that_asks_us_to_act_is_complex_at_once(text: str) -> None:
    found = triggers.complex_now(conversation(text), CONFIG)
    assert found is not None and not found.offer_only and found.reason == "complex"


def test_a_short_request_asks_us_to_find_out_what_its_next_clause_asks() -> None:
    assert account.only_asks_us("Kan I se, hvor pengene er blevet af?")  # Danish comma
    assert account.only_asks_us("Kan ni kolla, var paketet är?")
    assert not account.only_asks_us("Can you ship to Norway, and how long does it take?")
    assert not account.only_asks_us("can I still switch to a pickup point?")


def test_an_order_number_after_the_bots_reply_that_the_kb_cannot_answer_hands_off() -> None:
    text = "It's NV-3120094, but I find no button under My pages. Can you change them to 43?"
    conv = conversation("can I change my order", bot("answer", "change_order"), text)
    for outcome in ("clarify", "no_answer"):
        found = triggers.complex_reference(conv, outcome)
        assert found is not None and not found.offer_only
        assert found.evidence[-1] == "after the bot's reply"
    answered = triggers.complex_reference(conv, "answer")  # the KB has its answer: offered
    assert answered is not None and answered.offer_only


def test_questions_about_own_order_are_complex_only_when_the_kb_has_no_answer() -> None:
    conv = conversation("Where is my order? And why was my invoice higher than the price?")
    assert triggers.complex_unanswered(conv, "answer") is None
    assert triggers.complex_unanswered(conv, "clarify") is None
    found = triggers.complex_unanswered(conv, "no_answer")
    assert found is not None and "2 questions in one message" in found.evidence


def test_sensitive_vip_and_repeat_contact() -> None:
    assert triggers.sensitive("always", "gdpr") is not None
    offer = triggers.sensitive("offer", "cancel")
    assert offer is not None and offer.offer_only
    assert triggers.sensitive("never", "x") is None
    vip = conversation("what about the moon?", tier="VIP", customer_id="c1")
    assert triggers.vip(vip, "no_answer", CONFIG) is not None
    assert triggers.vip(vip, "answer", CONFIG) is None
    back = conversation("shipping price?", customer_id="c1")
    assert triggers.repeat_contact(back, "shipping_price", [START - timedelta(days=3)], CONFIG)
    assert not triggers.repeat_contact(back, "shipping_price", [START - timedelta(days=9)], CONFIG)
    assert not triggers.repeat_contact(back, "shipping_price", [START + timedelta(1)], CONFIG)


def test_summary_keeps_the_customers_telling_sentences_in_order() -> None:
    conv = conversation(
        "hi",
        "I ordered a grinder last week. It was charged twice on order 778812.",
        "Can you refund one of the payments?",
        "thanks",
    )
    assert key_sentences(conv) == [
        "I ordered a grinder last week.",
        "It was charged twice on order 778812.",
        "Can you refund one of the payments?",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "kan dere ringe meg tilbake?",
        "Kan noen ringe meg i morgen?",
        "bel me even terug",
        "Kunnen jullie mij terugbellen?",
        "could someone phone me",
        "pls call me back",
        "ring mig op",
        "Kan I ringe mig tilbage?",
        "kan ni ringa upp mig",
        "vill bli uppringd",
        "kan ni ringa mej",
    ],
)
def test_callback_request_is_a_request_for_a_person(text: str) -> None:
    found = triggers.requested(conversation(text))
    assert found is not None and found.reason == "requested" and found.callback


def test_callback_is_noted_when_nlu_found_the_request() -> None:
    found = triggers.requested(conversation(said("kunnen jullie me terug bellen", "request_human")))
    assert found is not None and found.callback
    plain = triggers.requested(conversation(said("ik wil een mens", "request_human")))
    assert plain is not None and not plain.callback


@pytest.mark.parametrize(
    "text",
    [
        "what is your phone number?",
        "can I call customer service on Sunday?",
        "hva er telefonnummeret deres?",
        "kan jeg ringe dere på søndag?",
        "telefonnummer til kundeservice",
        "kan jag ringa kundtjänst på lördag?",
        "kundtjänst telefonnummer",
        "hvornår kan man ringe til jer",
        "wat is jullie telefoonnummer?",
        "klantenservice openingstijden",
    ],
)
def test_asking_how_to_phone_us_is_a_question_not_a_request(text: str) -> None:
    assert triggers.requested(conversation(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "hi! I bought a tent from you last week for a trip in june, and I was wondering how "
        "long I have to return it if it doesn't fit in my car?",
        "Hey, how are you? I have a question. When are you open on saturday?",
        "hei, hvordan går det? når åpner dere på lørdag?",
        "Hej! Jag har en fråga, hur lång tid tar leveransen till Umeå?",
        "hoi, hoe gaat het? ik heb vorige week een jas gekocht, kan ik die nog ruilen?",
        "Hej, kan du hjælpe mig? Hvad koster fragten til Bornholm?",
        "When I send something back, do I get the money back?",
    ],
)
def test_greetings_context_and_one_question_are_not_complex(text: str) -> None:
    conv = conversation(text)
    assert triggers.complex_now(conv, CONFIG) is None
    assert triggers.complex_unanswered(conv, "no_answer") is None


def test_one_question_about_own_order_or_two_general_ones_are_left_to_the_kb() -> None:
    for text in (
        "hi can i still cancel my order, i placed it like 20 min ago",
        "hej, når kommer min ordre?",
        "what does shipping cost and how long does it take?",
    ):
        assert triggers.complex_unanswered(conversation(text), "no_answer") is None, text


TOPICS = {"shipping": "shipping_price", "invoice": "invoice", "iceland": "countries"}


def topic_of(sentence: str) -> str | None:
    """A stand-in for the KB search: the topic named by a keyword, if any."""
    return next((t for word, t in TOPICS.items() if word in sentence.lower()), None)


def test_three_questions_about_three_topics_are_complex() -> None:
    conv = conversation("How much is shipping? Can I pay by invoice? And do you ship to Iceland?")
    found = triggers.many_topics(conv, CONFIG, topic_of)
    assert found is not None and found.reason == "complex"
    assert found.evidence == (
        "3 questions in one message",
        "about shipping_price, invoice, countries",
    )


def test_a_list_of_questions_in_one_sentence_is_placed_question_by_question() -> None:
    searched: list[str] = []

    def by_word(sentence: str) -> str | None:
        searched.append(sentence)
        return next((t for w, t in LISTED.items() if w in sentence.lower()), None)

    text = (
        "hei! 3 ting: kan jeg betale med Vipps i butikken, sender dere pakker til Svalbard, "
        "og har dere åpent i Oslo 17. mai?"
    )
    found = triggers.many_topics(conversation(text), CONFIG, by_word)
    assert found is not None and found.evidence[0] == "3 questions in one message"
    assert searched == [
        "kan jeg betale med Vipps i butikken",
        "sender dere pakker til Svalbard",
        "og har dere åpent i Oslo 17. mai?",  # the date's dot ends no sentence
    ]
    assert questions.questions("Det kostet €24. Kan dere sende den?") == ["kan dere sende den"]


LISTED = {"vipps": "payment_methods", "svalbard": "delivery_countries", "åpent": "opening_hours"}


def test_numbered_questions_are_a_list() -> None:
    text = (
        "tre saker: 1) kan man betala med Klarna 2) vad kostar frakten 3) hur många poäng får man"
    )
    assert questions.question_count(text) == 3
    assert questions.question_sentences(text) == [
        "kan man betala med Klarna",
        "vad kostar frakten",
        "hur många poäng får man",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Wat fijn dat ik voor de derde keer naar de retourpagina word gestuurd.",
        "what a great system, really",
        "vad bra att ni skickar samma länk igen",
        "hvor dejligt at høre det igen",
    ],
)
def test_an_exclamation_that_opens_like_a_question_asks_nothing(text: str) -> None:
    assert questions.question_count(text) == 0


def test_an_exclamation_with_a_question_mark_or_beside_a_question_still_asks() -> None:
    assert questions.question_count("how nice is the down jacket in real cold?") == 1
    asked = questions.questions("wat fijn, hoe lang duurt een retour?")
    assert asked == ["hoe lang duurt een retour"]
    assert questions.question_count("hvor lang tid tar levering til Tromsø") == 1


def test_clauses_of_one_question_are_not_a_list() -> None:
    assert questions.question_count("Hi, I ordered a tent, it came broken, can I return it?") == 1
    text = "Hur funkar det, när blir poängen till en check och var hittar jag den?"
    assert questions.question_sentences(text) == [text]  # two parts: one topic, searched whole


def test_three_questions_about_one_thing_are_left_to_the_kb() -> None:
    searched: list[str] = []

    def one_topic(sentence: str) -> str | None:
        searched.append(sentence)
        return "bike_service"

    text = (
        "Hej, jeg købte en elcykel hos jer i foråret. Er første service gratis? Og hvordan "
        "booker jeg tid, og hvor længe skal jeg undvære cyklen? Jeg pendler på den hver dag"
    )
    assert triggers.many_topics(conversation(text), CONFIG, one_topic) is None
    assert searched == [
        "Er første service gratis?",
        "Og hvordan booker jeg tid, og hvor længe skal jeg undvære cyklen?",
    ]


def test_two_questions_are_never_searched_one_by_one() -> None:
    def never(sentence: str) -> str | None:
        raise AssertionError(sentence)

    conv = conversation("How much is shipping? Can I pay by invoice?")
    assert triggers.many_topics(conv, CONFIG, never) is None


def test_a_norwegian_ski_trip_is_no_swedish_swearing() -> None:
    trip = "skal på skitur til Trysil i februar, kan vi leie ski hos dere?"
    assert not any(e.startswith("swearing") for e in frustration(conversation(trip)).evidence)
    assert any(e.startswith("swearing") for e in frustration(conversation("vilken skit")).evidence)


def test_swearing_the_model_reads_as_calm_is_praise() -> None:
    praise = "holy shit that was fast 😂 the boots were on my doorstep thursday"
    assert word_signals(praise)[0][0] == "swearing"  # no model: the word counts
    assert word_signals(praise, reading=0.27) == []
    assert word_signals("this damn bot is useless", reading=0.92)[0][0] == "swearing"


def test_asking_how_complaining_works_is_a_question_but_complaining_is_a_complaint() -> None:
    for text in (
        "hvor længe kan man reklamere i danmark hvis en cykel går i stykker?",
        "hvordan klager man på en vare egentlig? ikke noe galt ennå altså",
        "hoe dien je een klacht in?",
    ):
        found = triggers.complaint(conversation(text))
        assert found is not None and found.offer_only, text  # answered, a person offered
    for text in (
        "I want to complain about the rude staff, who do I talk to?",
        "Jeg vil klage. Hvordan klager man?",  # the first sentence is their own complaint
        "Hvor sender jeg en reklamasjon?",  # their own
    ):
        found = triggers.complaint(conversation(text))
        assert found is not None and not found.offer_only, text


def test_a_named_number_masked_before_the_bot_saw_it_is_still_theirs() -> None:
    found = triggers.complex_now(conversation("Mitt medlemsnummer er [phone]."), CONFIG)
    assert found is not None and found.evidence == ("gives their medlemsnummer with its number",)
    assert triggers.complex_now(conversation("Ring meg på [phone]"), CONFIG) is None
