"""KB edits from several replicas: serialized, and never a broken file on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.kb import editing
from bot.kb.editing import KBEditError, NewEntry, Translation, add_entry
from bot.kb.format import KnowledgeBase, load_kb
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
