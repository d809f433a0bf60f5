"""A real turn (real model, real index) embeds the customer's message once.

The search, the meaning models (frustration, account problems) and the gap
list's grouping all read the vector of the question without its greeting and
sign-off, so the backend computes it once and the encoder's memory serves the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from bot.kb.encoders.base import Encoder, TextKind
from bot.kb.encoders.cache import CachedEncoder
from bot.kb.encoders.factory import load_backend
from bot.kb.format import load_kb
from bot.kb.index import build_index
from bot.runtime import LiveIndex, Runtime
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models import Gap
from bot.turn import Conversation, Question, Turn, take_turn
from tests.turn.fakes import NOW


class Counting:
    """The real backend, remembering every text it embeds."""

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        self.texts += list(texts)
        return self.inner.encode(texts, kind)


@pytest.fixture(scope="module")
def backend() -> Counting:
    return Counting(load_backend("e5-onnx", threads=1))


@pytest.mark.parametrize(
    "message",
    [
        "Hi! Do you sell parking permits for the garage next door? Thanks, Kari",  # a gap
        "Hei, når kommer kaffen min? Mvh Ola",  # an answer
    ],
)
def test_a_greeted_and_signed_message_is_embedded_once(
    message: str,
    backend: Counting,
    db: Database,
    tmp_path: Path,
    fixture_kb_dir: Path,
    embedding_cache: Path,
) -> None:
    encoder = CachedEncoder(backend)
    build_index(load_kb(fixture_kb_dir), encoder, tmp_path / "index", cache_dir=embedding_cache)
    settings = replace(Settings(), index_dir=tmp_path / "index", faq_dir=fixture_kb_dir)
    rt = Runtime(settings, db, LiveIndex(settings, encoder))
    rt.index.searcher()
    backend.texts.clear()
    conv = Conversation("c-1", (Turn("customer", message, NOW),), "rest", "en", started_at=NOW)
    result = take_turn(rt, conv, Question(message, "c-1", conv.lang, "rest"))
    assert result.reply is not None
    assert len(backend.texts) == 1, backend.texts
    if result.reply.kind == "no_answer":
        with db.session() as session:
            assert session.scalars(select(Gap.vector)).one() is not None
