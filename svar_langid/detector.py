"""Multinomial naive Bayes over character n-grams and words.

Short chat messages are the hard case (Norwegian and Danish share most words),
so the model is trained on customer-service text in each language
(`corpus/<lang>.txt`) rather than on generic web text, and it reports a
confidence so that callers can keep the conversation's language when a
message is too short to tell.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_N, _MAX_N = 2, 4
# Whole words and word pairs ("tar det", "tager det") separate Norwegian from
# Danish far better than letter sequences do, so they count several times.
_WORD_WEIGHT = 3
_ALPHA = 0.5
# Log-likelihoods of a whole message are summed over dozens of features and
# would give absurdly sharp posteriors; scaling them makes the confidence
# usable as "how sure", measured on held-out sentences.
_TEMPERATURE = 0.25


@dataclass(frozen=True)
class Detection:
    """The most likely language, its confidence in [0, 1], and all posteriors."""

    lang: str | None
    confidence: float
    scores: dict[str, float]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return text


def features(text: str) -> list[str]:
    """Words, word pairs and padded character n-grams of the words in `text`."""
    feats: list[str] = []
    words = _WORD.findall(_normalise(text))
    for position, word in enumerate(words):
        feats.extend(["w:" + word] * _WORD_WEIGHT)
        if position + 1 < len(words):
            feats.extend([f"b:{word} {words[position + 1]}"] * _WORD_WEIGHT)
        padded = f" {word} "
        for n in range(_MIN_N, _MAX_N + 1):
            for i in range(len(padded) - n + 1):
                gram = padded[i : i + n]
                if gram.strip():
                    feats.append(gram)
    return feats


class LanguageDetector:
    """A naive Bayes language model per language, trained from text lines."""

    def __init__(self, samples: dict[str, list[str]]) -> None:
        self._log_probs: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        vocabulary: set[str] = set()
        counts: dict[str, Counter[str]] = {}
        for lang, lines in samples.items():
            counts[lang] = Counter(f for line in lines for f in features(line))
            vocabulary.update(counts[lang])
        size = len(vocabulary) or 1
        for lang, counter in counts.items():
            total = sum(counter.values()) + _ALPHA * size
            self._log_probs[lang] = {f: math.log((c + _ALPHA) / total) for f, c in counter.items()}
            self._unseen[lang] = math.log(_ALPHA / total)

    @property
    def languages(self) -> list[str]:
        """The languages the detector was trained on, sorted."""
        return sorted(self._log_probs)

    def detect(self, text: str, languages: list[str] | None = None) -> Detection:
        """Classify `text`; `languages` restricts the candidates."""
        feats = features(text)
        langs = [lang for lang in (languages or self.languages) if lang in self._log_probs]
        if not feats or not langs:
            return Detection(None, 0.0, {})
        loglik = {
            lang: sum(self._log_probs[lang].get(f, self._unseen[lang]) for f in feats)
            for lang in langs
        }
        best = max(loglik.values())
        weights = {lang: math.exp((v - best) * _TEMPERATURE) for lang, v in loglik.items()}
        norm = sum(weights.values())
        posteriors = {lang: w / norm for lang, w in weights.items()}
        top = max(posteriors, key=lambda lang: posteriors[lang])
        return Detection(top, posteriors[top], posteriors)


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> dict[str, list[str]]:
    """Read `<lang>.txt` files, one sample sentence per line."""
    samples: dict[str, list[str]] = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        samples[path.stem] = [line for line in lines if line and not line.startswith("#")]
    return samples


@lru_cache(maxsize=1)
def default_detector() -> LanguageDetector:
    """The detector trained on the bundled corpus, built once per process."""
    return LanguageDetector(load_corpus())


def supported_languages() -> list[str]:
    """The languages of the bundled corpus (one `<lang>.txt` each)."""
    return default_detector().languages


def detect(text: str, languages: list[str] | None = None) -> Detection:
    """Detect the language of `text` with the bundled model."""
    return default_detector().detect(text, languages)
