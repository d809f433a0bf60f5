"""`bot gaps eval`: how well gap grouping matches a labelled set of questions.

Reports the adjusted Rand index and pairwise F1 (precision: of the question
pairs put in one gap, how many belong together; recall: of the pairs that
belong together, how many share a gap) for the online grouping that runs as
questions arrive (averaged over shuffled arrival orders) and for `recluster`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import adjusted_rand_score

from bot.errors import BotError
from bot.gaps.cluster import RECLUSTER_THRESHOLD, batch_groups, online_groups
from bot.gaps.collect import GROUP_THRESHOLD
from bot.gaps.vectors import Embedder

ORDERS = 5


class GapEvalError(BotError):
    """The labelled file is missing or malformed."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class LabelledQuestion:
    """A question of the evaluation set and the group it should land in."""

    group: str
    lang: str
    text: str


@dataclass(frozen=True)
class GroupingScore:
    """How one grouping method agrees with the labels (adjusted Rand index and pairwise P/R/F1)."""

    method: str
    threshold: float
    ari: float
    precision: float
    recall: float
    f1: float
    groups: int


def load_groups(path: Path) -> list[LabelledQuestion]:
    """Read the labelled set (group -> lang -> questions); a missing or malformed file raises
    GapEvalError.
    """
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GapEvalError(path, str(exc)) from exc
    groups = document.get("groups") if isinstance(document, dict) else None
    if not isinstance(groups, dict):
        raise GapEvalError(path, "needs a 'groups' mapping of group -> lang -> questions")
    return [
        LabelledQuestion(str(group), str(lang), str(text))
        for group, by_lang in groups.items()
        for lang, texts in by_lang.items()
        for text in texts
    ]


def pairwise(truth: list[str], predicted: list[int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of `predicted` against `truth`."""
    together = same = both = 0
    for i, j in combinations(range(len(truth)), 2):
        t, p = truth[i] == truth[j], predicted[i] == predicted[j]
        together += t
        same += p
        both += t and p
    precision = both / same if same else 0.0
    recall = both / together if together else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_grouping(
    questions: list[LabelledQuestion],
    vectors: np.ndarray,
    online_threshold: float = GROUP_THRESHOLD,
    batch_threshold: float = RECLUSTER_THRESHOLD,
) -> list[GroupingScore]:
    """Score the batch recluster once and online grouping averaged over ORDERS shuffled arrival
    orders, since online groups depend on the order questions come in.
    """
    truth = [q.group for q in questions]
    batch = batch_groups(vectors, batch_threshold)
    scores = [_score("recluster", batch_threshold, truth, batch)]
    threshold = online_threshold
    online = []
    for seed in range(ORDERS):
        order = list(range(len(questions)))
        random.Random(seed).shuffle(order)
        labels = online_groups(vectors[order], threshold)
        unshuffled = [0] * len(order)
        for position, index in enumerate(order):
            unshuffled[index] = labels[position]
        online.append(_score("online", threshold, truth, unshuffled))
    mean = {f: float(np.mean([getattr(s, f) for s in online])) for f in _FIELDS}
    groups = round(float(np.mean([s.groups for s in online])))
    scores.append(GroupingScore("online", threshold, groups=groups, **mean))
    return scores


_FIELDS = ("ari", "precision", "recall", "f1")


def _score(method: str, threshold: float, truth: list[str], labels: list[int]) -> GroupingScore:
    precision, recall, f1 = pairwise(truth, labels)
    ari = float(adjusted_rand_score(truth, labels))
    return GroupingScore(method, threshold, ari, precision, recall, f1, len(set(labels)))


def evaluate_file(
    path: Path, embed: Embedder, sweep: bool = False
) -> tuple[list[LabelledQuestion], list[GroupingScore]]:
    """Scores at the configured thresholds, or (`sweep`) at a range of them."""
    questions = load_groups(path)
    vectors = embed([q.text for q in questions], [q.lang for q in questions])
    if not sweep:
        return questions, score_grouping(questions, vectors)
    cuts = [round(0.35 + 0.05 * i, 2) for i in range(8)]
    return questions, [s for t in cuts for s in score_grouping(questions, vectors, t, t)]
