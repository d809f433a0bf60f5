from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import KBValidationError
from bot.kb.format import load_kb

VALID_ENTRY = """
  - id: delivery_time
    lang: en
    question: How long does delivery take?
    alternatives: ["When will my order arrive?"]
    answer: Two to four working days.
"""


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KBValidationError) as info:
        load_kb(directory)
    return [str(p) for p in info.value.problems]


def test_load_kb_fixture_reads_every_entry(fixture_kb_dir: Path) -> None:
    kb = load_kb(fixture_kb_dir)
    assert "shipping_time" in kb.ids()
    assert kb.languages("shipping_time") == ["da", "en", "nb", "nl", "sv"]
    assert kb.translation("contact", "sv") is not None  # falls back to English
    assert kb.translation("contact", "sv").lang == "en"  # type: ignore[union-attr]


def test_load_kb_demo_has_required_coverage() -> None:
    kb = load_kb(Path(__file__).resolve().parents[2] / "data" / "faq")
    assert len(kb.ids()) >= 40
    translated = [i for i in kb.ids() if set(kb.languages(i)) >= {"en", "nb", "sv", "da", "nl"}]
    assert len(translated) >= 20


def test_load_kb_checksum_changes_with_content(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "version: 1\nentries:" + VALID_ENTRY)
    first = load_kb(tmp_path).checksum
    write(tmp_path, "a.yml", "version: 1\nentries:" + VALID_ENTRY.replace("Two", "Three"))
    assert load_kb(tmp_path).checksum != first


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("version: 1\nentries: [\n", "is not valid YAML"),
        (b"version: 1\nentries:\n  - id: \xff\xfe\n", "is not UTF-8"),
        ("- just\n- a list\n", "must be a mapping"),
        ("version: 2\nentries:" + VALID_ENTRY, "version must be 1"),
        ("version: 1\nentries: []\n", "'entries' must be a non-empty list"),
        ("version: 1\nentries:" + VALID_ENTRY + "    colour: blue\n", "unknown key(s): colour"),
        ("version: 1\nentries:" + VALID_ENTRY.replace("    lang: en\n", ""), "'lang' is required"),
        (
            "version: 1\nentries:" + VALID_ENTRY.replace("delivery_time", "Delivery-Time"),
            "must match",
        ),
        (
            "version: 1\nentries:" + VALID_ENTRY.replace("Two to four working days.", "''"),
            "'answer' is required and must be non-empty",
        ),
        ("version: 1\nentries:" + VALID_ENTRY + "    handoff: sometimes\n", "handoff 'sometimes'"),
        ("version: 1\nentries:" + VALID_ENTRY + "    url: ftp://x\n", "must be an http(s) address"),
        (
            "version: 1\nentries:"
            + VALID_ENTRY.replace('["When will my order arrive?"]', "[1, '']"),
            "'alternatives' must be a list",
        ),
        ("version: 1\nentries:" + VALID_ENTRY.replace("lang: en", "lang: english"), "ISO 639-1"),
    ],
)
def test_load_kb_broken_file_names_file_entry_and_problem(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    write(tmp_path, "broken.yml", content)
    problems = problems_of(tmp_path)
    assert any("broken.yml" in p and expected in p for p in problems), problems


def test_load_kb_entry_problem_names_the_entry(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "version: 1\nentries:" + VALID_ENTRY + "    colour: blue\n")
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'a.yml'}, entry delivery_time (#1): unknown key(s): colour"
    ]


def test_load_kb_duplicate_id_lang_across_files_names_both(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "version: 1\nentries:" + VALID_ENTRY)
    write(tmp_path, "b.yml", "version: 1\nentries:" + VALID_ENTRY)
    [problem] = problems_of(tmp_path)
    assert "b.yml" in problem and "a.yml" in problem and "duplicate" in problem


def test_load_kb_reports_all_problems_at_once(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "version: 1\nentries: [\n")
    write(tmp_path, "b.yml", "version: 1\nentries:" + VALID_ENTRY + "    colour: blue\n")
    assert len(problems_of(tmp_path)) == 2


def test_load_kb_empty_or_missing_directory_is_an_error(tmp_path: Path) -> None:
    assert "contains no .yml" in problems_of(tmp_path)[0]
    assert "is not a directory" in problems_of(tmp_path / "missing")[0]
