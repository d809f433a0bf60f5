"""Custom NLU components: an input guard and a language entity extractor."""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from svar_langid import detect
from svar_rasa import patches
from svar_rasa.channels import masking
from svar_rasa.locale import languages

# Rasa imports this module when it loads the model, before serving anything:
# the one place where Svar's Rasa-side code can install its patches.
patches.install()
masking.install()  # every channel's messages are masked before Rasa stores them


# The parse-data key the bot service reads (bot/language.py, PARSE_KEY).
LANGUAGE_DETECTION = "language_detection"


def _entity(name: Text, value: Text, length: int, confidence: float) -> Dict[Text, Any]:
    return {
        "entity": name,
        "value": value,
        "start": 0,
        "end": length,
        "confidence": confidence,
    }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class InputGuard(GraphComponent):
    """Keeps huge or binary messages from reaching the tokenizer and classifier.

    Text over `max_chars` is cut (the classifier's cost grows with its length)
    and flagged with an `input_issue` entity, as is text that is mostly not
    printable, so that the KB action can answer politely.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": 2000}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InputGuard":
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._max_chars = int(config["max_chars"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            issue = self._issue(text)
            if issue is None:
                continue
            cleaned = "".join(ch if ch.isprintable() else " " for ch in text[: self._max_chars])
            message.set(TEXT, cleaned.strip() or "?")
            entities = [
                *message.get(ENTITIES, []),
                _entity("input_issue", issue, len(cleaned), 1.0),
            ]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _issue(self, text: Text) -> Optional[Text]:
        if len(text) > self._max_chars:
            return "too_long"
        if not text.strip():
            return None
        visible = sum(1 for ch in text if unicodedata.category(ch)[0] in "LNPSZ")
        return "unreadable" if visible / len(text) < 0.9 else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Reads each message's language once, for Rasa and for the bot service.

    Adds a `language` entity when the language is clear: the `language` slot
    takes it, and Rasa's own responses (greeting, goodbye) choose their
    variation by that slot. A message too short to tell adds no entity, so the
    conversation keeps its language. Every reading, clear or not, also goes
    into the parse data as `language_detection`, which the actions pass on.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"languages": list(languages()), "min_confidence": 0.6}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageEntityExtractor":
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._languages = list(config["languages"])
        self._min_confidence = float(config["min_confidence"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT, "").startswith("/"):
                continue  # a button payload, not the customer's words
            detection = detect(message.get(TEXT) or "", self._languages)
            clear = detection.lang is not None and detection.confidence >= self._min_confidence
            # The one reading of this message's language: the bot service chooses from it
            # (bot/language.py) and never detects again.
            reading = {
                "lang": detection.lang,
                "confidence": detection.confidence,
                "scores": dict(detection.scores),
                "clear": clear,
            }
            message.set(LANGUAGE_DETECTION, reading, add_to_output=True)
            if not clear:
                continue
            entity = _entity(
                "language", detection.lang, len(message.get(TEXT)), detection.confidence
            )
            entity = self.add_extractor_name([entity])[0]
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
