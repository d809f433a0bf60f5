"""Thanks and acknowledgements that reach the KB turn: a closing, not a failure or frustration."""

from __future__ import annotations

import pytest

from bot.handoff import triggers
from bot.handoff.closing import is_closing
from bot.handoff.frustration import frustration
from bot.settings import HandoffConfig
from tests.handoff.helpers import bot, conversation

CONFIG = HandoffConfig()


@pytest.mark.parametrize(
    "text",
    [
        "great, that's everything. thanks a lot!",
        "and 60 if i'm in the club. got it",
        "ok, skjønner. stikker innom i Oslo neste gang og ser selv, takk uansett!",
        "nice tack mannen",
        "super, mange tak for hjælpen",
        "duidelijk, dankjewel!",
        "oké dus dat geeft de bank vanzelf weer vrij. prima, dan probeer ik het straks. thanks",
        "ah oké, geen probleem, dan vraag ik het wel even op de Kalverstraat. fijne dag!",
        "nå okay, det er helt fint, jeg spørger bare når jeg kommer forbi",
        "WOW they glide like new!!! THANK YOU to whoever did them in Oslo",
        "selvä, kiitos",
        # thanks anyway: "likevel" and "alligevel" are no "but" here
        "tenkte meg det. takk likevel",
        "ok, så ikke kajak. fair nok, tak alligevel",
        # opens by accepting, then says what the customer will do
        "fair enough. I'll pitch it in the living room then 😄",
        "ok da tar jeg klikk og hent på Karl Johan i stedet",
        "smart, då kör jag hämta i butik",
        "Perfekt, tusen takk! Da går jeg og finner fram ullundertøyet.",
        "brilliant, that works",  # an acknowledgement opening a short clause
        "makes sense now",
        # an exclamation is no question: it may thank
        "wat fijn dat het zo snel kan, dank je wel!",
    ],
)
def test_thanks_goodbyes_and_acknowledgements_close(text: str) -> None:
    assert is_closing(text)


@pytest.mark.parametrize(
    "text",
    [
        "thanks for nothing",
        "wow. super helpful, thanks a lot 🙄",
        "Fantastisk, så man bliver belønnet for at være medlem. Tak for det 😂",
        "nou, daar heb ik echt wat aan zeg 👏👏",
        "thanks, but my order still has not arrived",
        "Takk. Jeg har fortsatt ikke fått pakken min.",  # the thanks is not the last word
        "perfekt, men den er for liten",
        "perfect, can I pay by card?",
        "thanks, I mean the other jacket",
        "tack, jag ger upp",
        "the zip on top broke.",  # "top" is no acknowledgement in the middle of a clause
        "jeg fikk pakken samme dag.",  # Dutch "dag" (bye) is Norwegian "day"
        "ok",
        "ok please",  # a bare "ok" may say yes to the offer of a person
        "mooi.",
        "takk, men likevel har den ikke kommet",
        "Okej, det där hjälpte inte heller.",  # accepts, then says it did not help
        "ok so nobody knows anything. great.",
        "ok. 3 weeks now and still waiting",  # a figure: telling something
        "fair enough, but I still want my money back",
        # a repeat contact told: a wait, an unanswered mail, the times written before
        "Jeg har ventet i tre uker. Takk for svaret.",
        "nobody answers my emails. ok thanks",
        "this is the third time I write. thanks anyway",
        "det er ikke dejligt",  # an acknowledgement denied
        "dat is niet duidelijk",
        # an acknowledgement that opens a longer clause describes something: sarcasm here
        "right, free of charge. Then PostNord charged me 89 kroner at the counter. "
        "Lovely system you have.",
        # longer than a brief "and then I will ...": telling something
        "ok, I understand that you have rules for this, and I will go to the store on Saturday",
        "/feedback_helpful",
        "thanks " * 40,  # a long message that thanks is telling something too
    ],
)
def test_sarcasm_complaints_questions_and_other_words_do_not(text: str) -> None:
    assert not is_closing(text)


def test_a_closing_ends_a_streak_of_failures() -> None:
    polite = conversation(
        "do you sell fishing rods?", bot("no_answer"), "ok no worries, thanks anyway"
    )
    assert triggers.failure_streak(polite.turns) == 0
    then = conversation(*polite.turns, bot("closing"), "do you rent tents?")
    assert triggers.repeated_failure(then, "no_answer", CONFIG) is None
    # without the thank-you in between, the second no-answer hands off or offers
    assert triggers.repeated_failure(
        conversation("do you sell fishing rods?", bot("no_answer"), "do you rent tents?"),
        "no_answer",
        CONFIG,
    )


def test_a_closing_after_poor_answers_adds_no_frustration_and_clears_them() -> None:
    done = conversation(
        "hoe werkt de studentenkorting?",
        bot("no_answer"),
        "en met de code uit de nieuwsbrief?",
        bot("clarify"),
        "duidelijk, dankjewel!",
    )
    assert frustration(done).total == 0
    annoyed = conversation(*done.turns, bot("closing"), "what a useless bot")
    score = frustration(annoyed)
    assert score.evidence and not any("after_failures" in e for e in score.evidence)


def test_praise_of_the_help_right_after_a_no_answer_is_sarcasm_not_thanks() -> None:
    from bot.handoff.closing import replied_to

    missed = conversation("do you wax skis?", bot("no_answer"), "tack, jättehjälpsamt")
    assert not is_closing(missed.turns[-1].text, replied_to(missed.turns[:-1]))
    assert triggers.failure_streak(missed.turns) == 1  # the streak goes on through it
    answered = conversation("do you wax skis?", bot("answer", "waxing"), "tack, jättehjälpsamt")
    assert is_closing(answered.turns[-1].text, replied_to(answered.turns[:-1]))
    polite = conversation("do you wax skis?", bot("no_answer"), "ok, I'll ask in the shop, thanks")
    assert is_closing(polite.turns[-1].text, replied_to(polite.turns[:-1]))


def test_a_plan_stated_after_a_no_answer_ends_the_streak_of_failures() -> None:
    from bot.handoff.closing import replied_to

    shrugged = conversation(
        "kan man leje kajak hos jer?",
        bot("no_answer"),
        "ok, så tager jeg toget til Aarhus i stedet",
    )
    assert is_closing(shrugged.turns[-1].text, replied_to(shrugged.turns[:-1]))
    then = conversation(*shrugged.turns, bot("closing"), "har I åbent på søndag?")
    assert triggers.repeated_failure(then, "no_answer", CONFIG) is None
    asked_again = conversation(
        "kan man leje kajak hos jer?", bot("no_answer"), "ok, men kan man leje kano da?"
    )
    assert not is_closing(asked_again.turns[-1].text, replied_to(asked_again.turns[:-1]))
    assert triggers.repeated_failure(asked_again, "no_answer", CONFIG) is not None
