"""The turn: what happens to every customer message. Start reading Svar here.

A message arrives through Rasa (channel, NLU, the language read once) and
reaches an action in actions/, which reads the tracker (actions/tracker.py)
and makes one call into this package:

- `take_turn`: a question: triggers, KB search and decision, reply, recording
  (the order is written out at the top of bot/turn/core.py);
- `take_feedback`: a verdict on the last answer;
- `take_request`: Rasa's rules sent the customer straight to a person;
- `rating_question` / `take_rating`: the one satisfaction question at the end
  of a conversation the bot handled alone, and its answer (bot/satisfaction.py).

Each takes one snapshot of the index (`TurnContext`) and hands the features
(bot/kb, bot/handoff, bot/gaps, bot/notices) only what they use. What goes in
and comes out (`Conversation`, `Question`, `Reply`, `Handoff`, ...) is exported
here, so that the actions import nothing else of bot/ but the runtime.
"""

from bot.feedback import FeedbackRecord
from bot.handoff.conversation import Conversation, Turn
from bot.handoff.service import Handoff
from bot.satisfaction import RatingRecord, SessionSoFar, should_ask
from bot.turn.context import TurnContext
from bot.turn.core import (
    FeedbackResult,
    TurnResult,
    after_feedback,
    after_search,
    before_search,
    request_trigger,
    take_feedback,
    take_request,
    take_turn,
)
from bot.turn.rating import RATE_INTENT, rating_question, take_rating
from bot.turn.reply import Button, Question, Reply, answer_question, question_text, read_here

__all__ = [
    "RATE_INTENT",
    "Button",
    "Conversation",
    "FeedbackRecord",
    "FeedbackResult",
    "Handoff",
    "Question",
    "RatingRecord",
    "Reply",
    "SessionSoFar",
    "Turn",
    "TurnContext",
    "TurnResult",
    "after_feedback",
    "after_search",
    "answer_question",
    "before_search",
    "question_text",
    "rating_question",
    "read_here",
    "request_trigger",
    "should_ask",
    "take_feedback",
    "take_rating",
    "take_request",
    "take_turn",
]
