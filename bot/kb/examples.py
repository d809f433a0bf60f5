"""What a full build learns from: the KB's phrasings, chat-style copies of them,
and the bundled out-of-scope messages, embedded and scored as a customer's
message would be (calibrate.py says how they are used).

The adapter (adapter.py) is trained here too, on the phrasings and their
copies, because the in-scope examples must be scored by adapters that never
saw them: two folds, each scored by the adapter trained on the other.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.kb.adapter import (
    apply_adapter,
    cross_fitted_adapters,
    fold_of_rows,
    train_adapter,
    worth_training,
)
from bot.kb.augment import COPIES, chat_copies
from bot.kb.calibrate import (
    SCORE_BLOCK,
    Examples,
    answered_by_kb,
    entry_scores,
    out_of_scope_messages,
)
from bot.kb.centering import cached_encode, center
from bot.kb.encoders import Encoder
from bot.kb.question import core_question

# Chat-style copies a build embeds: a large KB's copies (two a phrasing, 39,000
# at 10,000 entries) were most of its embedding time, and a sample of phrasings
# is as good a set of examples for calibration and the adapter. The demo KB
# makes ~1,600. The variable is for measuring the cap.
MAX_COPIES = int(os.environ.get("SVAR_KB_MAX_COPIES", "12000"))


@dataclass(frozen=True)
class Learned:
    """The adapter, the out-of-scope vectors the service compares with, and the
    examples to calibrate on."""

    adapter: np.ndarray | None
    bank: np.ndarray  # out-of-scope messages as the index stores vectors
    examples: Examples


def learn(
    vectors: np.ndarray,
    texts: Sequence[str],
    row_langs: Sequence[str],
    row_entry: np.ndarray,
    encoder: Encoder,
    centroids: dict[str, np.ndarray],
    cache_dir: Path | None,
    adapter_mode: str = "auto",
) -> Learned:
    """Train the adapter (when worth it) and score every example; `vectors` are
    the KB's rows, language-centred."""
    n_entries = int(row_entry.max()) + 1
    copies, copy_source = copies_of(texts, row_langs, MAX_COPIES)
    # Not cached: they change with every edit of the KB (the bundled ones do not).
    copy_vectors = _embed(encoder, copies, [row_langs[i] for i in copy_source], centroids, None)
    bank_messages = out_of_scope_messages()
    bank_texts = [text for text, _ in bank_messages]
    bank_langs = [lang for _, lang in bank_messages]
    bank_copies, bank_copy_source = copies_of(bank_texts, bank_langs)
    bank_vectors = _embed(encoder, bank_texts, bank_langs, centroids, cache_dir)
    bank_copy_vectors = _embed(
        encoder, bank_copies, [bank_langs[i] for i in bank_copy_source], centroids, cache_dir
    )

    questions = np.vstack([vectors, copy_vectors])
    source = np.concatenate([np.arange(len(vectors)), copy_source])
    weights: np.ndarray | None = None
    folds: list[np.ndarray | None]
    if worth_training(row_entry, row_langs, adapter_mode):
        fold_of = fold_of_rows(len(vectors))
        folds = list(cross_fitted_adapters(vectors, row_entry, fold_of, copy_vectors, copy_source))
        weights = train_adapter(vectors, row_entry, 0, copy_vectors, copy_source)
        question_fold = fold_of[source]
    else:
        folds = [None]
        question_fold = np.zeros(len(source), dtype=int)

    # In scope: each question against the rows, its own row left out.
    scores = np.zeros((len(questions), n_entries), dtype=np.float32)
    bank_sim = np.zeros((len(questions), len(bank_vectors)), dtype=np.float32)
    for fold, fold_weights in enumerate(folds):
        mine = np.flatnonzero(question_fold == fold)
        rows = apply_adapter(vectors, fold_weights)
        asked = apply_adapter(questions[mine], fold_weights)
        blocks = np.array_split(np.arange(len(mine)), max(1, -(-len(mine) // SCORE_BLOCK)))
        for block in blocks:  # a block at a time: bounds the memory at 10,000 entries
            dense = asked[block] @ rows.T
            dense[np.arange(len(block)), source[mine[block]]] = -1.0
            scores[mine[block]] = entry_scores(dense, row_entry, n_entries)
        bank_sim[mine] = asked @ apply_adapter(bank_vectors, fold_weights).T
    # A phrasing whose entry has no other phrasing cannot be found: leave it out.
    findable = np.bincount(row_entry, minlength=n_entries)[row_entry[source]] > 1
    scores, bank_sim, source = scores[findable], bank_sim[findable], source[findable]
    expected = row_entry[source]

    # Generic out of scope: the bundled messages and their copies.
    rows = apply_adapter(vectors, weights)
    generic = apply_adapter(np.vstack([bank_vectors, bank_copy_vectors]), weights)
    generic_source = np.concatenate([np.arange(len(bank_vectors)), bank_copy_source])
    generic_scores = entry_scores(generic @ rows.T, row_entry, n_entries)
    answered = answered_by_kb(scores, expected, generic_scores[: len(bank_vectors)])
    if answered.sum() >= len(answered) // 2:  # the KB is not a FAQ: keep them all
        answered[:] = False
    kept_bank = np.flatnonzero(~answered)
    stored_bank = apply_adapter(bank_vectors[kept_bank], weights)
    generic_sim = generic @ stored_bank.T
    generic_sim[generic_source[:, None] == kept_bank[None, :]] = -1.0  # not itself
    negatives = ~answered[generic_source]
    return Learned(
        weights,
        stored_bank,
        Examples(
            scores,
            expected,
            bank_sim[:, kept_bank].max(axis=1),
            generic_scores[negatives],
            generic_sim[negatives].max(axis=1),
        ),
    )


def copies_of(
    texts: Sequence[str], langs: Sequence[str], limit: int | None = None
) -> tuple[list[str], np.ndarray]:
    """Copies of every text, or of a seeded sample of them if that would make
    more than `limit`; the source array says which text each copy is of."""
    copied = np.arange(len(texts))
    if limit is not None and len(texts) * COPIES > limit:
        copied = np.sort(
            np.random.default_rng(0).choice(len(texts), limit // COPIES, replace=False)
        )
    copies, source = [], []
    for i in copied.tolist():
        for copy in chat_copies(texts[i], langs[i]):
            copies.append(copy)
            source.append(i)
    return copies, np.asarray(source, dtype=int)


def _embed(
    encoder: Encoder,
    texts: list[str],
    langs: list[str],
    centroids: dict[str, np.ndarray],
    cache_dir: Path | None,
) -> np.ndarray:
    """Embedded and centred as the searcher treats a customer's message."""
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    raw = cached_encode(encoder, [core_question(t) for t in texts], "query", cache_dir)
    mean: np.ndarray = np.mean(list(centroids.values()), axis=0)
    return np.vstack(
        [center(raw[i], centroids.get(lang, mean)) for i, lang in enumerate(langs)]
    ).astype(np.float32)
