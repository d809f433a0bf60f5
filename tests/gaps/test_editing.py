from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.kb.editing import KBEditError, NewEntry, Translation, add_alternatives, add_entry
from bot.kb.format import load_kb
from tests.conftest import FIXTURE_KB


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "faq"
    shutil.copytree(FIXTURE_KB, target)
    return target


def test_add_alternatives_writes_a_small_reviewable_diff(kb_dir: Path) -> None:
    path = kb_dir / "shop.yml"
    before = path.read_text(encoding="utf-8").splitlines()
    written = add_alternatives(kb_dir, "shipping_time", "sv", ["Hur snabbt skickar ni kaffet?"])
    assert written == path
    after = path.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before) + 1  # one line added, nothing else reflowed
    assert "      - Hur snabbt skickar ni kaffet?" in after
    entry = load_kb(kb_dir).get("shipping_time", "sv")
    assert entry is not None and entry.alternatives[-1] == "Hur snabbt skickar ni kaffet?"
    add_alternatives(kb_dir, "shipping_time", "sv", ["hur snabbt skickar ni kaffet?"])
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(after)  # no duplicate


def test_add_entry_with_translations_and_refuses_duplicates(kb_dir: Path) -> None:
    entry = NewEntry(
        "store_parking",
        (
            Translation("en", "Is there parking?", "Yes, 20 free spaces behind the shop."),
            Translation("nb", "Er det parkering?", "Ja, 20 gratis plasser bak butikken."),
        ),
        team="store",
    )
    path = add_entry(kb_dir, entry)
    kb = load_kb(kb_dir)
    assert kb.languages("store_parking") == ["en", "nb"]
    assert "answer: |" in path.read_text(encoding="utf-8")
    with pytest.raises(KBEditError):
        add_entry(kb_dir, entry)
    with pytest.raises(KBEditError):
        add_alternatives(kb_dir, "no_such_entry", "en", ["x"])
    with pytest.raises(KBEditError):
        add_entry(kb_dir, NewEntry("Bad Id", entry.translations))
