"""The turn on a small fake index: one snapshot per turn, triggers in order, the reply."""

from __future__ import annotations

from dataclasses import replace

from bot.kb.thresholds import Thresholds
from bot.storage import Database
from bot.turn import (
    Conversation,
    Question,
    Turn,
    TurnContext,
    take_feedback,
    take_request,
    take_turn,
)
from tests.turn.fakes import NOW, fake_runtime


def _conversation(*texts: str, lang: str = "en") -> Conversation:
    turns = tuple(Turn("customer", t, NOW) for t in texts)
    return Conversation("cust-1", turns, channel="rest", lang=lang, started_at=NOW)


def _question(text: str, lang: str = "en") -> Question:
    return Question(text, "cust-1", lang, channel="rest")


def test_an_answer_takes_the_index_once_and_words_it_from_that_snapshot(db: Database) -> None:
    rt, index = fake_runtime(db)
    text = "How long does delivery take?"
    result = take_turn(rt, _conversation(text), _question(text))
    assert index.calls == 1
    assert result.reply is not None and result.handoff is None
    assert result.reply.kind == "answer" and result.reply.custom["faq_id"] == "delivery_time"
    assert result.reply.text.startswith("Two to four days.")


def test_the_answer_comes_in_the_language_chosen_before_the_turn(db: Database) -> None:
    rt, _ = fake_runtime(db)
    text = "Hvor lang tid tar leveringen?"
    result = take_turn(rt, _conversation(text, lang="nb"), _question(text, "nb"))
    assert result.reply is not None and result.reply.lang == "nb"
    assert result.reply.text.startswith("To til fire dager.")


def test_asking_for_a_person_hands_off_before_any_search(db: Database) -> None:
    rt, index = fake_runtime(db)
    text = "I want to talk to a human"
    result = take_turn(rt, _conversation(text), _question(text))
    assert result.handoff is not None and result.handoff.reason == "requested"
    assert index.calls == 1 and index.served[0].searched == [text]  # routing only


def test_a_second_no_answer_offers_a_person_and_a_third_hands_off(db: Database) -> None:
    rt, _ = fake_runtime(db)
    first = take_turn(rt, _conversation("What colour is the sky?"), _question("What colour?"))
    assert first.reply is not None and first.reply.kind == "no_answer"
    asked = Turn("customer", "What colour is the sky?", NOW)
    missed = Turn("bot", "I do not know", NOW, kind="no_answer")
    again = Turn("customer", "And the sea?", NOW)
    conv = replace(_conversation(), turns=(asked, missed, again))
    second = take_turn(rt, conv, _question("And the sea?"))
    assert second.handoff is None and second.trigger is not None and second.trigger.offer_only
    assert second.trigger.reason == "repeated_failure" and second.reply is not None
    assert second.reply.follow_up_buttons[0].payload == "/request_human"
    third = Turn("customer", "And the grass?", NOW)
    conv = replace(conv, turns=(*conv.turns, missed, third))
    last = take_turn(rt, conv, _question("And the grass?"))
    assert last.handoff is not None and last.trigger is not None
    assert last.trigger.reason == "repeated_failure"


def test_a_second_no_answer_that_asks_again_hands_off(db: Database) -> None:
    rt, _ = fake_runtime(db)
    asked = Turn("customer", "What colour is the sky?", NOW)
    missed = Turn("bot", "I do not know", NOW, kind="no_answer")
    again = Turn("customer", "I mean the colour of the sky at noon?", NOW)
    conv = replace(_conversation(), turns=(asked, missed, again))
    second = take_turn(rt, conv, _question(again.text))
    assert second.handoff is not None and second.trigger is not None
    assert second.trigger.reason == "repeated_failure"


def test_a_clarify_button_answers_its_entry_and_a_stale_one_is_a_question(db: Database) -> None:
    rt, _ = fake_runtime(db)
    chosen = take_turn(rt, _conversation("/choose_faq"), _question("/choose_faq"), "returns")
    assert chosen.reply is not None and chosen.reply.custom["faq_id"] == "returns"
    stale = take_turn(rt, _conversation("delivery?"), _question("delivery?"), "gone_entry")
    assert stale.reply is not None and stale.reply.custom["faq_id"] == "delivery_time"


def test_feedback_thanks_in_the_conversation_language(db: Database) -> None:
    rt, _ = fake_runtime(db)
    result = take_feedback(rt, _conversation("/feedback_helpful", lang="nb"), True, None)
    assert result.handoff is None and result.text


def test_a_request_routed_by_rasa_opens_a_ticket(db: Database) -> None:
    rt, _ = fake_runtime(db)
    handoff = take_request(rt, _conversation("yo"), "request_human")
    assert handoff.reason == "requested" and handoff.queue == "general"


def test_the_context_thresholds_are_the_indexes_unless_configured(db: Database) -> None:
    rt, _ = fake_runtime(db)
    assert TurnContext.of(rt).thresholds == Thresholds(0.8, 0.5, 0.05)
    mine = Thresholds(0.9, 0.6, 0.1)
    override = (mine.answer, mine.clarify, mine.margin)
    configured = replace(rt, settings=replace(rt.settings, threshold_override=override))
    assert TurnContext.of(configured).thresholds == mine


def test_a_thank_you_nlu_did_not_place_is_answered_and_searched_for_nothing(db: Database) -> None:
    from sqlalchemy import func, select

    from bot.storage.models import Gap

    rt, index = fake_runtime(db)
    asked = Turn("customer", "Do you sell fishing rods?", NOW)
    missed = Turn("bot", "I do not know", NOW, kind="no_answer")
    thanks = "ok no worries, I'll ask in the shop. thanks anyway!"
    conv = replace(_conversation(), turns=(asked, missed, Turn("customer", thanks, NOW)))
    result = take_turn(rt, conv, _question(thanks))
    assert result.handoff is None and result.reply is not None
    assert result.reply.kind == "closing"
    assert result.reply.custom == {"kind": "closing", "lang": "en"}
    assert result.reply.text.startswith("You're welcome")
    assert index.served[-1].searched == []  # the KB was not asked
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Gap)) == 0


def test_a_greeting_nlu_did_not_place_is_welcomed_and_is_no_failure(db: Database) -> None:
    from sqlalchemy import func, select

    from bot.storage.models import Gap

    rt, index = fake_runtime(db)
    result = take_turn(rt, _conversation("hejsan!", lang="sv"), _question("hejsan!", lang="sv"))
    assert result.handoff is None and result.reply is not None
    assert result.reply.kind == "greeting" and result.reply.text.startswith("Hej!")
    assert index.served == [] or index.served[-1].searched == []  # the KB was not asked
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Gap)) == 0
    # ... so an unanswered question after it is the first failure, not the second
    greeted = Turn("bot", result.reply.text, NOW, kind=result.reply.kind)
    asked = "Do you sell fishing rods?"
    turns = (Turn("customer", "hejsan!", NOW), greeted, Turn("customer", asked, NOW))
    conv = replace(_conversation(), turns=turns)
    after = take_turn(rt, conv, _question(asked))
    assert after.reply is not None and after.reply.kind == "no_answer"
    assert after.handoff is None and after.trigger is None  # one failure: no offer yet


def test_an_order_number_with_a_short_question_gets_the_answer_and_an_offer(db: Database) -> None:
    rt, _ = fake_runtime(db)
    text = "placed order 30418872 an hour ago, how long does delivery take?"
    result = take_turn(rt, _conversation(text), _question(text))
    assert result.handoff is None and result.reply is not None and result.reply.kind == "answer"
    assert result.trigger is not None and result.trigger.offer_only
    assert result.trigger.evidence == ("reference '30418872'", "knowledge base: answer")
    assert result.reply.follow_up_buttons[0].payload == "/request_human"
    told = (
        "Order 30418872: I paid for a tent and two mats on the 2nd, the confirmation mail says "
        "one mat, the parcel held one mat and the invoice says two. I kept the box and the "
        "packing slip and can send photos of both. What happens with delivery now?"
    )
    long = take_turn(rt, _conversation(told), _question(told))
    assert long.handoff is not None and long.handoff.reason == "complex"
    # Told as a repeat contact ("written twice already and heard nothing back"), the same case
    # is frustration: its ticket goes out at high priority, to the same team.
    again = told.replace("I kept the box", "I have written twice already. I kept the box")
    repeat = take_turn(rt, _conversation(again), _question(again))
    assert repeat.handoff is not None and repeat.handoff.reason == "frustration"
    statement = "Order 30418872 still not here."
    assert take_turn(rt, _conversation(statement), _question(statement)).handoff is not None


def test_the_handoff_eval_replays_what_rasa_passes_on_masked(db: Database) -> None:
    from sqlalchemy import select

    from bot.evaluation.handoff import replay
    from bot.handoff.evaluation import Dialogue
    from bot.storage.models import TicketMessage

    rt, _ = fake_runtime(db)
    said = "Medlemsnumret står på mitt klubbkort: 7720-1184. Poängen syns inte i appen."
    outcome = replay(rt, Dialogue("d", "sv", "complex", "complex", (said,), {}, turn=1))
    assert outcome.reason == "complex" and outcome.turn == 1  # the masked number is still theirs
    with db.session() as session:
        texts = [m.text for m in session.scalars(select(TicketMessage))]
    assert texts and "7720-1184" not in " ".join(texts) and "[phone]" in texts[0]
