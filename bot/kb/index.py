"""The built index: one self-describing folder that refuses to load on a mismatch.

Layout of `kb_index/`:
    manifest.json          model, dimension, counts, KB checksum, and the version folder
    <version>/index.faiss  inner-product FAISS index over every question and alternative,
                           language-centred (see centering.py)
    <version>/rows.json    which entry (id, lang) and text each vector is
    <version>/entries.json the entries themselves, so the service needs no KB files
    <version>/centroids.npz the language centroids the vectors were centred with
    <version>/adapter.npy  the KB-trained linear map, when the KB is large enough
    <version>/out_of_scope.npy the bundled out-of-scope messages, as the rows are stored
                           (the confidence model's `bank` feature; confidence.py)
    <version>/raw.npy      the rows' raw embeddings, reused by the next build

The manifest is written last and atomically, so a running service that
reloads on manifest change never sees a half-written index.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bot.errors import KBIndexError
from bot.kb.adapter import apply_adapter
from bot.kb.calibrate import CALIBRATION_PROCEDURE, calibrate
from bot.kb.centering import center, language_centroids
from bot.kb.confidence import ConfidenceModel
from bot.kb.encoders import Encoder
from bot.kb.examples import learn
from bot.kb.format import FaqEntry, KnowledgeBase
from bot.kb.thresholds import NEVER, Thresholds

logger = logging.getLogger(__name__)

FORMAT_VERSION = 6
MANIFEST = "manifest.json"
# Texts per encoder call: the encoder sorts a call's texts by length, so a large
# call pads little; small enough for the progress bar to move.
BATCH = 512


@dataclass(frozen=True)
class Row:
    """One indexed phrasing: the vector at the same position in the FAISS index."""

    faq_id: str
    lang: str
    text: str


@dataclass(frozen=True)
class LoadedIndex:
    """A built index read back from disk, everything a `Searcher` needs; immutable, so a search
    holds one consistent snapshot while a rebuild swaps in another.
    """

    manifest: dict[str, Any]
    faiss_index: faiss.Index
    rows: tuple[Row, ...]
    kb: KnowledgeBase
    centroids: dict[str, np.ndarray]
    adapter: np.ndarray | None = None
    raw: np.ndarray | None = None  # the rows' embeddings before centring and adapter
    bank: np.ndarray | None = None  # out-of-scope messages, stored like the rows

    @property
    def thresholds(self) -> Thresholds:
        """The thresholds calibrated when this index was built."""
        calibration = self.manifest["calibration"]
        return Thresholds(
            calibration["answer"],
            calibration["clarify"],
            calibration["margin"],
            calibration.get("small_talk", NEVER),
        )

    @property
    def confidence(self) -> ConfidenceModel:
        """The confidence model fitted when this index was built."""
        return ConfidenceModel.from_json(self.manifest["calibration"]["model"])

    @property
    def lexical_weight(self) -> float:
        """Weight of the lexical score in the fusion, from the manifest's calibration."""
        return float(self.manifest["calibration"]["lexical_weight"])

    def centroid(self, lang: str | None) -> np.ndarray:
        """The language's centroid; for a language the index does not know, their mean."""
        if lang in self.centroids:
            return self.centroids[lang]
        mean: np.ndarray = np.mean(list(self.centroids.values()), axis=0)
        return mean

    @property
    def version(self) -> str:
        """The version directory's name; the runtime compares it to reload a new build."""
        return str(self.manifest["version"])


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The index directory's manifest, or None when nothing has been built there."""
    path = Path(index_dir) / MANIFEST
    if not path.exists():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def is_current(index_dir: Path, kb: KnowledgeBase, model: str, adapter: str = "auto") -> bool:
    """True when the index was fully fitted (centroids, adapter, calibration) on this KB
    content with this model; a quick republish after an edit is not."""
    manifest = read_manifest(index_dir)
    return bool(
        manifest
        and manifest.get("format") == FORMAT_VERSION
        and manifest.get("kb_checksum") == kb.checksum
        and manifest.get("fitted_checksum") == kb.checksum
        and manifest.get("calibration", {}).get("procedure") == CALIBRATION_PROCEDURE
        and manifest.get("adapter_requested") == adapter
        and manifest.get("model") == model
        and (Path(index_dir) / str(manifest.get("version"))).is_dir()
    )


@dataclass(frozen=True)
class Fit:
    """What a full build learns from the KB, and a quick republish reuses."""

    centroids: dict[str, np.ndarray]
    adapter: np.ndarray | None
    bank: np.ndarray
    calibration: dict[str, Any]
    fitted_checksum: str


def build_index(
    kb: KnowledgeBase,
    encoder: Encoder,
    index_dir: Path,
    progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    adapter: str = "auto",
    previous: LoadedIndex | None = None,
) -> dict[str, Any]:
    """Embed every phrasing of `kb` and publish a new index version; return its manifest.

    A full build fits centroids, the adapter (as `adapter` asks: auto, always,
    off; see adapter.worth_training) and the thresholds. Given the `previous`
    index, it is a quick republish for an editor's change: only new phrasings
    are embedded and the previous fit is reused, so the change is live in
    seconds; the manifest then says the fit is stale and the next `bot kb build`
    refits. `cache_dir` keeps what depends only on the model across builds."""
    index_dir = Path(index_dir)
    rows = [Row(e.id, e.lang, text) for e in kb.entries for text in e.texts]
    raw = _embed(rows, encoder, previous, progress)
    if (
        previous is not None
        and previous.manifest.get("model") == encoder.name
        and previous.bank is not None
    ):
        fit = Fit(
            previous.centroids,
            previous.adapter,
            previous.bank,
            previous.manifest["calibration"],
            str(previous.manifest.get("fitted_checksum", "")),
        )
        vectors = apply_adapter(_centre_rows(raw, rows, fit.centroids), fit.adapter)
    else:
        fit, vectors = _fit(kb, rows, raw, encoder, cache_dir, adapter)
    faiss_index = faiss.IndexFlatIP(encoder.dim)
    faiss_index.add(vectors)
    version = new_version(kb.checksum)
    # Written under a hidden name and renamed whole: a reader never sees half a version.
    version_dir = index_dir / f".building-{version}"
    version_dir.mkdir(parents=True)
    faiss.write_index(faiss_index, str(version_dir / "index.faiss"))
    np.save(version_dir / "raw.npy", raw)
    _write_json(version_dir / "rows.json", [dataclasses.asdict(r) for r in rows])
    _write_json(version_dir / "entries.json", [dataclasses.asdict(e) for e in kb.entries])
    np.savez(version_dir / "centroids.npz", **fit.centroids)  # type: ignore[arg-type]
    if fit.adapter is not None:
        np.save(version_dir / "adapter.npy", fit.adapter)
    np.save(version_dir / "out_of_scope.npy", fit.bank)
    manifest = {
        "format": FORMAT_VERSION,
        "version": version,
        "model": encoder.name,
        "dim": encoder.dim,
        "entries": len(kb.entries),
        "topics": len(kb.ids()),
        "vectors": len(rows),
        "languages": sorted({e.lang for e in kb.entries}),
        "kb_checksum": kb.checksum,
        "fitted_checksum": fit.fitted_checksum,
        "calibration": fit.calibration,
        "adapter": fit.adapter is not None,
        "adapter_requested": adapter,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    version_dir.rename(index_dir / version)
    _write_json(index_dir / MANIFEST, manifest)
    _prune(index_dir, keep={version})
    logger.info("index %s built: %d entries, %d vectors", version, len(kb.entries), len(rows))
    return manifest


def _embed(
    rows: list[Row],
    encoder: Encoder,
    previous: LoadedIndex | None,
    progress: Callable[[int], None] | None,
) -> np.ndarray:
    """Raw embeddings of every row, reusing the previous index's for unchanged texts."""
    known: dict[str, np.ndarray] = {}
    if (
        previous is not None
        and previous.raw is not None
        and previous.manifest.get("model") == (encoder.name)
    ):
        known = {row.text: previous.raw[i] for i, row in enumerate(previous.rows)}
    raw = np.zeros((len(rows), encoder.dim), dtype=np.float32)
    missing = [i for i, row in enumerate(rows) if row.text not in known]
    for i, row in enumerate(rows):
        if row.text in known:
            raw[i] = known[row.text]
    if progress and len(rows) > len(missing):
        progress(len(rows) - len(missing))
    # Similar lengths in one call; at 32 texts in KB order a batch padded to its
    # longest text (10,000 entries: see docs/speed.md, "Index build").
    missing.sort(key=lambda i: len(rows[i].text))
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        raw[batch] = encoder.encode([rows[i].text for i in batch], "query")
        if progress:
            progress(len(batch))
    return raw


def _centre_rows(raw: np.ndarray, rows: list[Row], centroids: dict[str, np.ndarray]) -> np.ndarray:
    vectors = raw.copy()
    mean: np.ndarray = np.mean(list(centroids.values()), axis=0)
    for lang in {r.lang for r in rows}:
        mask = np.array([r.lang == lang for r in rows])
        centroid = centroids.get(lang)
        vectors[mask] = center(raw[mask], mean if centroid is None else centroid)
    return vectors


def _fit(
    kb: KnowledgeBase,
    rows: list[Row],
    raw: np.ndarray,
    encoder: Encoder,
    cache_dir: Path | None,
    adapter: str,
) -> tuple[Fit, np.ndarray]:
    """Centroids, adapter and calibration learned from this KB; and the index vectors."""
    row_langs = [r.lang for r in rows]
    centroids = language_centroids(encoder, raw, row_langs, cache=cache_dir)
    vectors = _centre_rows(raw, rows, centroids)
    ids = sorted({r.faq_id for r in rows})
    position = {faq_id: i for i, faq_id in enumerate(ids)}
    row_entry = np.array([position[r.faq_id] for r in rows])
    texts = [r.text for r in rows]
    learned = learn(vectors, texts, row_langs, row_entry, encoder, centroids, cache_dir, adapter)
    calibration = calibrate(learned.examples)
    logger.info("calibrated: %s", calibration)
    fit = Fit(centroids, learned.adapter, learned.bank, calibration.to_json(), kb.checksum)
    return fit, apply_adapter(vectors, learned.adapter)


def load_index(index_dir: Path, model: str) -> LoadedIndex:
    """Load the published index; refuse one built with another model or format."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise KBIndexError(index_dir, "no manifest.json; run `bot kb build` first")
    if manifest.get("format") != FORMAT_VERSION:
        raise KBIndexError(index_dir, f"format {manifest.get('format')} is not {FORMAT_VERSION}")
    if manifest.get("model") != model:
        raise KBIndexError(
            index_dir, f"built with {manifest.get('model')!r} but {model!r} is configured"
        )
    version_dir = index_dir / str(manifest["version"])
    try:
        faiss_index = faiss.read_index(str(version_dir / "index.faiss"))
        rows = tuple(Row(**r) for r in _read_json(version_dir / "rows.json"))
        entries = tuple(_entry(e) for e in _read_json(version_dir / "entries.json"))
        with np.load(version_dir / "centroids.npz") as saved:
            centroids = {lang: saved[lang] for lang in saved.files}
        adapter_path = version_dir / "adapter.npy"
        weights = np.load(adapter_path) if adapter_path.exists() else None
        raw_path = version_dir / "raw.npy"
        raw = np.load(raw_path) if raw_path.exists() else None
        bank = np.load(version_dir / "out_of_scope.npy")
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise KBIndexError(
            index_dir, f"version {manifest['version']} is unreadable: {exc}"
        ) from exc
    if faiss_index.ntotal != len(rows) or faiss_index.d != manifest.get("dim"):
        raise KBIndexError(index_dir, "vector count or dimension does not match the manifest")
    kb = KnowledgeBase(entries, str(manifest["kb_checksum"]))
    return LoadedIndex(manifest, faiss_index, rows, kb, centroids, weights, raw, bank)


def _entry(raw: dict[str, Any]) -> FaqEntry:
    raw = dict(raw)
    raw["alternatives"] = tuple(raw.get("alternatives") or ())
    raw["tags"] = tuple(raw.get("tags") or ())
    return FaqEntry(**raw)


def new_version(kb_checksum: str) -> str:
    """A version name no other build takes: time, KB checksum and a random part.

    Two builds in the same second (two replicas publishing edits) used to share
    a folder and write into each other's files.
    """
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{kb_checksum[:8]}-{secrets.token_hex(3)}"


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}-{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _prune(index_dir: Path, keep: set[str], retain: int = 2) -> None:
    """Remove old versions, keeping the newest few for services still reading them."""
    versions = sorted(
        # Hidden folders are builds still being written (perhaps by another process).
        (p for p in index_dir.iterdir() if p.is_dir() and p.name not in keep and p.name[0] != "."),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in versions[retain - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    for abandoned in index_dir.glob(".building-*"):  # a build that crashed an hour ago
        if time.time() - abandoned.stat().st_mtime > 3600:
            shutil.rmtree(abandoned, ignore_errors=True)
