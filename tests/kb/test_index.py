from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.errors import KBIndexError
from bot.kb.centering import center
from bot.kb.format import load_kb
from bot.kb.index import build_index, is_current, load_index, read_manifest
from bot.kb.search import Searcher
from tests.helpers import HashingEncoder


@pytest.fixture
def built(tmp_path: Path, fixture_kb_dir: Path) -> Path:
    build_index(load_kb(fixture_kb_dir), HashingEncoder(), tmp_path / "index")
    return tmp_path / "index"


def test_build_index_writes_self_describing_manifest(built: Path, fixture_kb_dir: Path) -> None:
    kb = load_kb(fixture_kb_dir)
    manifest = read_manifest(built)
    assert manifest is not None
    assert manifest["model"] == "test:hashing"
    assert manifest["dim"] == 256
    assert manifest["entries"] == len(kb.entries)
    assert manifest["vectors"] == sum(len(e.texts) for e in kb.entries)
    assert manifest["kb_checksum"] == kb.checksum
    assert is_current(built, kb, "test:hashing")
    assert not is_current(built, kb, "another-model")


def test_load_index_refuses_other_model(built: Path) -> None:
    with pytest.raises(KBIndexError, match="built with 'test:hashing'"):
        load_index(built, "bundled:multilingual-e5-small")


def test_load_index_refuses_missing_or_corrupt(built: Path, tmp_path: Path) -> None:
    with pytest.raises(KBIndexError, match="run `bot kb build`"):
        load_index(tmp_path / "nowhere", "test:hashing")
    manifest = read_manifest(built)
    assert manifest is not None
    (built / manifest["version"] / "rows.json").write_text("[]")
    with pytest.raises(KBIndexError, match="does not match"):
        load_index(built, "test:hashing")


def test_build_index_new_version_replaces_old(built: Path, fixture_kb_dir: Path) -> None:
    first = read_manifest(built)
    assert first is not None
    build_index(load_kb(fixture_kb_dir), HashingEncoder(), built)
    second = read_manifest(built)
    assert second is not None
    assert load_index(built, "test:hashing").version == second["version"]


def test_searcher_ranking_matches_brute_force(built: Path) -> None:
    """FAISS + fusion must rank exactly like a plain numpy computation."""
    encoder = HashingEncoder()
    index = load_index(built, encoder.name)
    searcher = Searcher(index, encoder)
    question = "how long does shipping take"
    hits = searcher.search(question, k=3, lang="en")
    vectors = np.vstack(
        [center(encoder.encode([r.text]), index.centroids[r.lang]) for r in index.rows]
    )
    dense = vectors @ center(encoder.encode([question]), index.centroids["en"])[0]
    lexical = searcher._lexical.scores([question])[0]
    best_dense: dict[str, float] = {}
    best_lexical: dict[str, float] = {}
    for row, d, lex in zip(index.rows, dense, lexical, strict=True):
        best_dense[row.faq_id] = max(best_dense.get(row.faq_id, -9.0), float(d))
        best_lexical[row.faq_id] = max(best_lexical.get(row.faq_id, 0.0), float(lex))
    weight = searcher.fusion.lexical_weight
    best = {k: best_dense[k] + weight * best_lexical[k] for k in best_dense}
    expected = sorted(best, key=lambda k: -best[k])[:3]
    assert [h.faq_id for h in hits] == expected
    assert np.isclose(hits[0].score, best[expected[0]], atol=1e-5)


def test_searcher_batch_equals_single(built: Path) -> None:
    encoder = HashingEncoder()
    searcher = Searcher(load_index(built, encoder.name), encoder)
    questions = ["pause my subscription", "which grind do you offer"]
    batch = searcher.search_batch(questions, k=2, langs=["en", "en"])
    assert batch == [searcher.search(q, k=2, lang="en") for q in questions]


def test_index_manifest_is_json_and_old_versions_pruned(built: Path, fixture_kb_dir: Path) -> None:
    for _ in range(3):
        build_index(load_kb(fixture_kb_dir), HashingEncoder(), built)
    versions = [p for p in built.iterdir() if p.is_dir()]
    assert len(versions) <= 2
    json.loads((built / "manifest.json").read_text())
    shutil.rmtree(built)


def test_quick_republish_reuses_fit_and_embeds_only_new_texts(
    built: Path, fixture_kb_dir: Path, tmp_path: Path
) -> None:
    """An editor's change is live without refitting; `bot kb build` then refits."""
    encoder = HashingEncoder()
    previous = load_index(built, encoder.name)
    kb_dir = tmp_path / "kb"
    shutil.copytree(fixture_kb_dir, kb_dir)
    path = kb_dir / "shop.yml"
    path.write_text(
        path.read_text().replace("alternatives:", "alternatives:\n      - parcel ETA?", 1)
    )
    kb = load_kb(kb_dir)
    calls: list[int] = []

    class Counting(HashingEncoder):
        def encode(self, texts, kind="query"):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().encode(texts, kind)

    manifest = build_index(kb, Counting(), built, previous=previous)
    assert calls == [1]
    assert manifest["calibration"] == previous.manifest["calibration"]
    assert not is_current(built, kb, encoder.name)
    assert any(r.text == "parcel ETA?" for r in load_index(built, encoder.name).rows)
