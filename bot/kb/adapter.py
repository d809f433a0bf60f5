"""A linear adapter learned from the KB at build time.

The KB itself says which phrasings mean the same thing: an entry's question,
its alternatives and its translations. A linear map trained so that those
land together (supervised contrastive loss, regularised towards the
identity) sharpens the embedding for this KB's vocabulary and across its
languages. On the demo eval set (questions written apart from the KB) it
raises top-1 retrieval from 0.86 to 0.88 and the AUC between answerable and
out-of-scope questions from 0.94 to 0.97 (docs/quality.md, "Answer quality").

Training uses torch on the CPU, at build time only; serving applies the
matrix with numpy.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from torch import Tensor

logger = logging.getLogger(__name__)

MIN_TOPICS = 20  # below this the adapter learns the few topics, not the language
# Topics that must be in more than one language: trained on one language's
# phrasings alone, the map serves that language and loses the others (an
# English-only demo KB: answered-or-clarified 0.53 with it, 0.68 without).
MIN_TRANSLATED_TOPICS = MIN_TOPICS // 2
STEPS = 150
LEARNING_RATE = 2e-3
TEMPERATURE = 0.05
REGULARISATION = 0.01
QUERY_BLOCK = 4096  # questions whose scores against every row are held at once
# Questions a step trains on: more (a large KB's phrasings and copies) and each
# step takes a seeded sample of this many, so a step costs at most this many
# questions against every row. The demo KB (~2,300) and the public-KB benches
# (<= 2,700) train full-batch. The variable is for measuring the sampling.
MAX_QUERIES = int(os.environ.get("SVAR_KB_MAX_QUERIES", "4096"))
# A step costs MAX_QUERIES questions against every row: on two idle cores 0.6 s at
# 4,000 phrasings, 1.2 s at 8,000, ~3 s at 19,000 (x 150 steps x 3 adapters). Above
# this many phrasings "auto" builds without an adapter, so that `bot kb build` of a
# large KB takes minutes, not half an hour; "always" still trains one.
MAX_AUTO_ROWS = 5000


def worth_training(row_entry: np.ndarray, row_langs: Sequence[str], mode: str = "auto") -> bool:
    """Enough topics with alternatives to learn paraphrase from, and enough in
    several languages to learn that translations mean the same; without
    either the adapter did worse on held-out questions than none (README).
    `mode` "always" asks only for `MIN_TOPICS` topics, "off" for none; "auto"
    leaves a KB of more than `MAX_AUTO_ROWS` phrasings without one."""
    if mode == "off":
        return False
    if mode == "always":
        return len(np.unique(row_entry)) >= MIN_TOPICS
    if len(row_entry) > MAX_AUTO_ROWS:
        logger.info(
            "no adapter: %d phrasings, more than %d (BOT_KB_ADAPTER=always trains one, "
            "in minutes to half an hour at this size)",
            len(row_entry),
            MAX_AUTO_ROWS,
        )
        return False
    langs = np.asarray(row_langs)
    paraphrased = translated = 0
    for entry in np.unique(row_entry):
        entry_langs = langs[row_entry == entry]
        paraphrased += len(entry_langs) > len(set(entry_langs.tolist()))
        translated += len(set(entry_langs.tolist())) > 1
    return paraphrased >= MIN_TOPICS and translated >= MIN_TRANSLATED_TOPICS


def train_adapter(
    vectors: np.ndarray,
    row_entry: np.ndarray,
    seed: int = 0,
    queries: np.ndarray | None = None,
    query_source: np.ndarray | None = None,
) -> np.ndarray:
    """A (dim x dim) matrix; rows of one entry are pulled together, others apart.

    `queries` are extra questions (chat-style copies of the rows, augment.py),
    `query_source` the row each was made from: a copy learns to find its
    entry through the entry's other rows, never through the row it copies,
    which would teach the map nothing but the typos.

    Full-batch up to `MAX_QUERIES` questions, a seeded sample of that many a
    step above it. The (questions x rows) scores are made a block of questions
    at a time and their gradients summed: held whole they took ~40 GB at 10,000
    entries."""
    import torch

    torch.manual_seed(seed)
    keys = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
    n_rows = len(vectors)
    source = np.arange(n_rows)
    if queries is not None and query_source is not None and len(queries):
        asked = np.vstack([vectors, queries]).astype(np.float32)
        source = np.concatenate([source, query_source])
    else:
        asked = np.ascontiguousarray(vectors, dtype=np.float32)
    x = torch.from_numpy(asked)
    key_labels = torch.from_numpy(row_entry)
    sample = np.random.default_rng(seed) if len(asked) > MAX_QUERIES else None
    if sample is None:
        blocks = _blocks(x, source, row_entry, np.arange(len(asked)), key_labels)
        counted = _counted(blocks)
    identity = torch.eye(keys.shape[1])
    weights = torch.nn.Parameter(identity.clone())
    optimiser = torch.optim.Adam([weights], lr=LEARNING_RATE)
    for _ in range(STEPS):
        if sample is not None:
            chosen = np.sort(sample.choice(len(asked), MAX_QUERIES, replace=False))
            blocks = _blocks(x, source, row_entry, chosen, key_labels)
            counted = _counted(blocks)
        optimiser.zero_grad()
        k = torch.nn.functional.normalize(keys @ weights, dim=1)
        k_leaf = k.detach().requires_grad_()  # the blocks' gradients meet here, k's graph once
        for block in blocks:
            part = block.loss(weights, k_leaf) / max(counted, 1)
            part.backward()  # type: ignore[no-untyped-call]
        regularisation = REGULARISATION * ((weights - identity) ** 2).sum()
        torch.autograd.backward([k, regularisation], [k_leaf.grad, None])
        optimiser.step()
    result: np.ndarray = weights.detach().numpy().astype(np.float32)
    return result


def _blocks(
    x: Tensor, source: np.ndarray, row_entry: np.ndarray, asked: np.ndarray, key_labels: Tensor
) -> list[_Block]:
    """The questions `asked` (indices into `x`), `QUERY_BLOCK` at a time."""
    import torch

    return [
        _Block(
            x[b], torch.from_numpy(source[b]), torch.from_numpy(row_entry[source[b]]), key_labels
        )
        for b in np.array_split(asked, max(1, -(-len(asked) // QUERY_BLOCK)))
    ]


def _counted(blocks: list[_Block]) -> int:
    """The questions with a positive: the loss is their mean."""
    return sum(int((b.count > 0).sum()) for b in blocks)


class _Block:
    """Some of the questions, scored against every row; which rows are each question's
    own and which its positives is worked out once, not at every step."""

    def __init__(self, x: Tensor, source: Tensor, labels: Tensor, key_labels: Tensor) -> None:
        import torch

        self.x = x
        # The row the question is (or was copied from): never its own positive.
        self.own = source[:, None] == torch.arange(len(key_labels))[None, :]
        # The other rows of the question's entry.
        self.positives = (labels[:, None] == key_labels[None, :]) & ~self.own
        self.count = self.positives.sum(dim=1)

    def loss(self, weights: Tensor, k: Tensor) -> Tensor:
        """The summed supervised-contrastive loss of the block's questions that have a positive."""
        import torch

        q = torch.nn.functional.normalize(self.x @ weights, dim=1)
        logits = (q @ k.T) / TEMPERATURE - self.own.float() * 1e9
        log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
        per_row = -(log_prob * self.positives.float()).sum(dim=1) / self.count.clamp(min=1)
        return per_row[self.count > 0].sum()


def apply_adapter(vectors: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """Map and renormalise; `None` (no adapter) returns the vectors unchanged."""
    if weights is None:
        return vectors
    mapped = np.atleast_2d(vectors) @ weights
    norms = np.linalg.norm(mapped, axis=1, keepdims=True)
    return np.ascontiguousarray(mapped / np.maximum(norms, 1e-12), dtype=np.float32)


def fold_of_rows(n_rows: int, folds: int = 2, seed: int = 0) -> np.ndarray:
    """Which cross-fitting fold each row (and every copy made from it) is in."""
    return np.random.default_rng(seed).integers(0, folds, size=n_rows)


def cross_fitted_adapters(
    vectors: np.ndarray,
    row_entry: np.ndarray,
    fold_of: np.ndarray,
    queries: np.ndarray | None = None,
    query_source: np.ndarray | None = None,
) -> list[np.ndarray]:
    """One adapter per fold, trained without that fold's rows and their copies:
    the fold's questions are then scored as honestly as a customer's."""
    adapters = []
    for fold in range(int(fold_of.max()) + 1):
        kept = fold_of != fold
        renumber = np.cumsum(kept) - 1
        extra, extra_source = None, None
        if queries is not None and query_source is not None:
            mine = kept[query_source]
            extra, extra_source = queries[mine], renumber[query_source[mine]]
        adapters.append(train_adapter(vectors[kept], row_entry[kept], 0, extra, extra_source))
    return adapters
