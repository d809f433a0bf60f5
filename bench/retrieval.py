"""Top-1 retrieval accuracy per language for each retrieval variant, on a KB and eval set.

Retrieval alone (no thresholds): is the right entry ranked first? Prints one
row per variant, the table of docs/quality.md, "Answer quality".

    .venv/bin/python -m bench.retrieval [--faq-dir data/faq] [--questions data/eval/questions.yml]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.evaluation.dataset import load_questions
from bot.kb.centering import center, language_centroids
from bot.kb.encoders import Encoder, create_encoder
from bot.kb.format import load_kb
from bot.kb.lexical import LexicalScorer
from bot.settings import ROOT, Settings
from svar_langid import detect

LANGS = ("en", "nb", "sv", "da", "nl")


def entry_max(matrix: np.ndarray, row_entry: np.ndarray, n: int) -> np.ndarray:
    out = np.full((matrix.shape[0], n), -np.inf, dtype=np.float32)
    for entry in range(n):
        out[:, entry] = matrix[:, row_entry == entry].max(axis=1)
    return out


def zscore(scores: np.ndarray) -> np.ndarray:
    return (scores - scores.mean(axis=1, keepdims=True)) / scores.std(axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq-dir", type=Path, default=ROOT / "data" / "faq")
    parser.add_argument("--questions", type=Path, default=ROOT / "data" / "eval" / "questions.yml")
    args = parser.parse_args()
    kb = load_kb(args.faq_dir)
    questions = [q for q in load_questions(args.questions) if q.expected]
    rows = [(e.id, e.lang, t) for e in kb.entries for t in e.texts]
    ids = kb.ids()
    row_entry = np.array([ids.index(r[0]) for r in rows])
    texts = [q.text for q in questions]
    expected = np.array([ids.index(q.expected or "") for q in questions])
    langs = np.array([q.lang for q in questions])
    lexical = entry_max(LexicalScorer([r[2] for r in rows]).scores(texts), row_entry, len(ids))
    cache = Settings().cache_dir

    def dense(encoder: Encoder, centred: bool) -> np.ndarray:
        kb_vectors = encoder.encode([r[2] for r in rows])
        q_vectors = encoder.encode(texts)
        if centred:
            cents = language_centroids(encoder, kb_vectors, [r[1] for r in rows], cache=cache)
            kb_vectors = np.vstack(
                [center(v, cents[r[1]]) for v, r in zip(kb_vectors, rows, strict=True)]
            )
            q_vectors = np.vstack(
                [
                    center(v, cents.get(detect(t).lang or "en", cents["en"]))
                    for v, t in zip(q_vectors, texts, strict=True)
                ]
            )
        return entry_max(q_vectors @ kb_vectors.T, row_entry, len(ids))

    minilm = create_encoder("bundled:all-MiniLM-L6-v2")
    e5 = create_encoder("bundled:multilingual-e5-small")
    e5_raw, e5_centred = dense(e5, False), dense(e5, True)
    variants: dict[str, Callable[[], np.ndarray]] = {
        "all-MiniLM-L6-v2 (English)": lambda: dense(minilm, False),
        "multilingual-e5-small 4-bit": lambda: e5_raw,
        "character n-gram TF-IDF": lambda: lexical,
        "z(e5) + z(TF-IDF)": lambda: zscore(e5_raw) + zscore(lexical),
        "e5, language-centred (Svar)": lambda: e5_centred,
        "e5 centred + 0.1 TF-IDF": lambda: e5_centred + 0.1 * lexical,
    }
    print(f"{'top-1 correct':32} " + " ".join(f"{lang:>6}" for lang in LANGS) + f" {'all':>6}")
    for name, scores in variants.items():
        hit = scores().argmax(axis=1) == expected
        cells = " ".join(f"{hit[langs == lang].mean():6.2f}" for lang in LANGS)
        print(f"{name:32} {cells} {hit.mean():6.2f}")


if __name__ == "__main__":
    main()
