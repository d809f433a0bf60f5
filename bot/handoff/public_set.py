"""The public graded frustration set (customer-support tweets), read and split once.

Zuters & Leonova's `dprocessed.txt` (shared/bench/frustration-cs-twitter): dialogue
blocks under `-----  [ids]  -----` lines, `USER:` turns ending in three annotators'
grades such as `{3,2,3}` (a grade may be missing or `n`). A turn counts as frustrated
when most of its grades are 3 or more; a turn with fewer than two grades is left out.

The split is by dialogue, from a hash of the block's id line, so a dialogue's turns
never sit on both sides and the split does not depend on the file's order.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "bench"
    / "frustration-cs-twitter"
    / "dprocessed.txt"
)
FRUSTRATED_GRADE = 3
TEST_SHARE = 30  # percent of dialogues held out for the reported AUC
# The dev split's turns in nb, sv, da and nl (one `<lang>.jsonl` each, keyed by `turn_id`):
# what the model learns from English tweets, shown in the languages it must also read.
TRANSLATIONS = Path(__file__).resolve().parents[2] / "data" / "twitter_translated"

_GRADES = re.compile(r"\{([^{}]*)\}\s*$")


@dataclass(frozen=True)
class GradedTurn:
    """A customer turn of the public set with its annotators' grades."""

    dialogue: str  # the block's id line
    text: str
    grades: tuple[int, ...]
    split: str  # dev | test

    @property
    def frustrated(self) -> bool:
        """Most annotators graded it FRUSTRATED_GRADE or more."""
        high = sum(1 for g in self.grades if g >= FRUSTRATED_GRADE)
        return high * 2 > len(self.grades)


def split_of(dialogue: str) -> str:
    """`test` for about TEST_SHARE % of dialogues, chosen by hash; else `dev`."""
    bucket = int(hashlib.sha1(dialogue.encode("utf-8")).hexdigest(), 16) % 100
    return "test" if bucket < TEST_SHARE else "dev"


def load(path: Path = DEFAULT_PATH) -> list[GradedTurn]:
    """Every customer turn with at least two grades, tagged with its split."""
    turns: list[GradedTurn] = []
    dialogue = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-----"):
            dialogue = line.strip("- ")
            continue
        if not line.startswith("USER:"):
            continue
        found = _GRADES.search(line)
        if found is None:
            continue
        grades = tuple(int(g) for g in found.group(1).split(",") if g.strip().isdigit())
        if len(grades) < 2:
            continue
        text = clean(line[len("USER:") : found.start()])
        if text:
            turns.append(GradedTurn(dialogue, text, grades, split_of(dialogue)))
    return turns


def clean(text: str) -> str:
    """The tweet as a chat message: joined-tweet marks and links dropped."""
    text = text.replace("///", " ")
    text = re.sub(r"https?://\S+", " ", text)
    return " ".join(text.split())


def turn_id(text: str) -> str:
    """A turn's key in the translation files: the first 12 hex digits of its text's SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def translations(folder: Path = TRANSLATIONS) -> dict[str, dict[str, str]]:
    """{lang: {turn_id: translated text}} from every `<lang>.jsonl` in `folder`.

    Only dev-split turns are translated; the labels stay with the English turn, so a
    translation carries none of its own.
    """
    found: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        found[path.stem] = {row["id"]: row["text"] for row in rows if row["text"].strip()}
    return found
