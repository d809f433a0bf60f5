"""Grouping gap questions: online (as they arrive) and batch (re-clustering on demand).

Online grouping depends on arrival order: an early odd phrasing can start a
gap that later questions split from. `recluster` regroups every open
no-answer occurrence at once with average-linkage agglomerative clustering at
a cosine threshold of its own, and keeps answered and dismissed gaps as they are.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.gaps.collect import GROUP_THRESHOLD, NO_ANSWER, gap_lock
from bot.gaps.vectors import Embedder, from_bytes, to_bytes, unit
from bot.storage import Database
from bot.storage.models import Gap, GapOccurrence
from bot.text import normalize

logger = logging.getLogger(__name__)
# Average linkage compares members, not running sums, so it wants a lower cut than online.
RECLUSTER_THRESHOLD = 0.45


def online_groups(vectors: np.ndarray, threshold: float = GROUP_THRESHOLD) -> list[int]:
    """Group labels as `record_gap` assigns them: join the closest group centroid or start one."""
    sums: list[np.ndarray] = []
    labels: list[int] = []
    for vector in vectors:
        if sums:
            scores = np.array([unit(s) @ vector for s in sums])
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                sums[best] = sums[best] + vector
                labels.append(best)
                continue
        sums.append(vector.copy())
        labels.append(len(sums) - 1)
    return labels


def batch_groups(vectors: np.ndarray, threshold: float = RECLUSTER_THRESHOLD) -> list[int]:
    """Average-linkage clusters whose members are on average at least `threshold` similar."""
    if len(vectors) < 2:
        return [0] * len(vectors)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - threshold
    )
    return [int(label) for label in model.fit_predict(vectors)]


def recluster(db: Database, embed: Embedder, threshold: float = RECLUSTER_THRESHOLD) -> int:
    """Regroup all open no-answer occurrences; return the number of open gaps after."""
    open_gaps = select(Gap).where(Gap.status == "open", Gap.kind == NO_ANSWER)
    with db.session() as session:  # embedding is slow: before the lock, which turns wait for
        _fill_vectors([o for g in session.scalars(open_gaps) for o in g.occurrences], embed)
    with db.session() as session:
        gap_lock(session, NO_ANSWER)  # no occurrence joins a gap this is about to delete
        gaps = session.scalars(open_gaps).all()
        occurrences = [o for g in gaps for o in g.occurrences]
        if not occurrences:
            return 0
        _fill_vectors(occurrences, embed)
        # Gaps whose occurrences are all past retention (bot/privacy/purge.py) have no
        # members to regroup: they keep their question and counts, and are not dropped.
        had_members = {o.gap_id for o in occurrences}
        vectors = np.vstack([unit(from_bytes(o.vector)) for o in occurrences if o.vector])
        labels = batch_groups(vectors, threshold)
        old = {g.id: g for g in gaps}
        groups: dict[int, list[GapOccurrence]] = {}
        for occurrence, label in zip(occurrences, labels, strict=True):
            groups.setdefault(label, []).append(occurrence)
        kept: list[Gap] = []
        for members in sorted(groups.values(), key=len, reverse=True):
            kept.append(_regroup(session, members, old, kept))
        for gap in old.values():
            if gap.id in had_members and all(gap is not k for k in kept):
                session.delete(gap)
        logger.info("reclustered %d occurrences into %d gaps", len(occurrences), len(kept))
        return len(kept)


def _fill_vectors(occurrences: Sequence[GapOccurrence], embed: Embedder) -> None:
    missing = [o for o in occurrences if o.vector is None]
    if missing:
        vectors = embed([o.question for o in missing], [o.lang for o in missing])
        for occurrence, vector in zip(missing, vectors, strict=True):
            occurrence.vector = to_bytes(unit(vector))


def _regroup(
    session: Session, members: list[GapOccurrence], old: dict[int, Gap], taken: list[Gap]
) -> Gap:
    """Reuse the gap most members came from (keeps ids stable), recomputing its fields."""
    gap: Gap | None = None
    for source, _count in Counter(o.gap_id for o in members).most_common():
        if all(old[source] is not k for k in taken):
            gap = old[source]
            break
    if gap is None:
        first = old[members[0].gap_id]
        gap = Gap(kind=NO_ANSWER, status="open", team=first.team, handoff_count=0)
        gap.nearest_faq_id, gap.nearest_score = first.nearest_faq_id, first.nearest_score
        session.add(gap)
    total = np.sum([from_bytes(o.vector) for o in members if o.vector], axis=0)
    representative = max(members, key=lambda o: float(unit(total) @ from_bytes(o.vector or b"")))
    for occurrence in members:
        occurrence.gap = gap
    gap.vector = to_bytes(total)
    gap.question = representative.question
    gap.normalized = normalize(representative.question)
    gap.lang = representative.lang
    gap.occurrence_count = len(members)
    gap.handoff_count = sum(o.kind == "handoff_after_answer" for o in members)
    gap.last_seen_at = max(o.created_at for o in members)
    gap.created_at = min(o.created_at for o in members)
    session.flush()
    return gap
