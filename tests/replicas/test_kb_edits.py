"""KB edits from several replicas: serialized, and never a broken file on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.kb import editing
from bot.kb.editing import KBEditError, NewEntry, Translation, add_entry
from bot.kb.format import KnowledgeBase, load_kb
from bot.kb.index import load_index, read_manifest
from tests.conftest import FIXTURE_KB
from tests.replicas.racing import race


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "faq"
    shutil.copytree(FIXTURE_KB, target)
    return target


def test_editors_on_three_replicas_lose_no_edit(kb_dir: Path) -> None:
    race("tests.replicas.workers:add_phrasings", [[str(kb_dir), p, 8] for p in "abc"])
    entry = load_kb(kb_dir).get("shipping_time", "en")
    assert entry is not None
    added = {a for a in entry.alternatives if "shipping question" in a}
    assert added == {f"{p} shipping question {i}" for p in "abc" for i in range(8)}


def test_a_refused_edit_never_touches_the_live_file(
    kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live file stays the old one while the edit is validated (a crash then is harmless)."""
    before = {p.name: p.read_bytes() for p in kb_dir.iterdir()}
    seen_during_validation = []

    def validating(directory: Path) -> KnowledgeBase:
        seen_during_validation.append((kb_dir / "shop.yml").read_bytes())
        return load_kb(directory)

    monkeypatch.setattr(editing, "load_kb", validating)
    broken = NewEntry("store_parking", (Translation("english", "Parking?", "Yes."),))
    with pytest.raises(KBEditError, match="refused"):
        add_entry(kb_dir, broken, filename="shop.yml")
    after = {p.name: p.read_bytes() for p in kb_dir.iterdir() if p.name != ".edit.lock"}
    assert after == before  # same files, same bytes, no temporary left behind
    assert seen_during_validation and set(seen_during_validation) == {before["shop.yml"]}


def test_builds_in_the_same_second_publish_separate_whole_versions(
    kb_dir: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    versions = race("tests.replicas.workers:build", [[str(kb_dir), str(index_dir)]] * 3)
    assert len(set(versions)) == 3
    manifest = read_manifest(index_dir)
    assert manifest is not None and manifest["version"] in versions
    loaded = load_index(index_dir, "test:hashing")  # the published folder is complete
    assert loaded.version == manifest["version"]
    assert not list(index_dir.glob(".building-*"))
