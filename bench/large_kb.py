"""A large multilingual KB from public data nobody here wrote, for timing index builds.

Each entry is a question with 1-3 phrasings and an answer, as a content editor
writes one; the sources (shared/bench, see its README) give:

- deepset COVID-QA: real FAQ pairs with their answers, in de/en/pl/it/sv;
- MASSIVE nb: Norwegian utterances with their English source, so an entry exists
  in nb and en under one id (a translation; the build's adapter needs those);
- CLINC150 and BANKING77: English utterances, grouped by intent into entries of
  1-3 phrasings, with a placeholder answer naming the intent.

Groups (an id with all its languages) are drawn at random until `count`
entries are reached; the same seed gives the same KB.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

Entry = dict[str, Any]
FILES = 10  # a KB directory of several files, as editors keep one per topic area


def covid_faq(data: Path) -> Iterator[list[Entry]]:
    """One entry per FAQ pair, with its real answer and source page."""
    path = data / "covid-faq-deepset" / "faq_200327.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t")):
            question, answer = _clean(row["question"]), _clean(row["answer"])
            if question and answer and re.fullmatch(r"[a-z]{2}", row["lang"] or ""):
                entry = {"id": f"covid_{n}", "lang": row["lang"], "question": question}
                entry["answer"] = answer
                if (row.get("link") or "").startswith(("http://", "https://")):
                    entry["url"] = row["link"]
                yield [entry]


def massive_nb(data: Path, rng: random.Random) -> Iterator[list[Entry]]:
    """Norwegian utterances and their English sources, 1-3 per entry, in both languages."""
    by_intent: dict[str, list[tuple[str, str]]] = defaultdict(list)
    block: dict[str, str] = {}
    for line in (data / "massive-nb-subset" / "nb_mas.conll").read_text("utf-8").splitlines():
        key, sep, value = line.removeprefix("# ").partition(" = ")
        if line.startswith("# ") and sep:
            block[key] = value.strip()
        elif not line.strip() and block:
            by_intent[block.get("intent-massive", "")].append((block["text"], block["text-en"]))
            block = {}
    if block:
        by_intent[block.get("intent-massive", "")].append((block["text"], block["text-en"]))
    for intent, pairs in sorted(by_intent.items()):
        for n, chunk in enumerate(_chunks(pairs, rng)):
            faq_id = f"massive_{_slug(intent)}_{n}"
            yield [
                _entry(faq_id, "nb", [nb for nb, _ in chunk], intent),
                _entry(faq_id, "en", [en for _, en in chunk], intent),
            ]


def intents(data: Path, rng: random.Random) -> Iterator[list[Entry]]:
    """CLINC150 (every split) and BANKING77 utterances, 1-3 per entry, English."""
    document = json.loads((data / "clinc150" / "data_full.json").read_text("utf-8"))
    by_intent: dict[str, list[str]] = defaultdict(list)
    for split in ("train", "val", "test"):
        for text, label in document[split]:
            by_intent[f"clinc_{label}"].append(text)
    for split in ("train", "test"):
        with (data / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                by_intent[f"banking_{row['category']}"].append(row["text"])
    for intent, texts in sorted(by_intent.items()):
        for n, chunk in enumerate(_chunks(texts, rng)):
            yield [_entry(f"{_slug(intent)}_{n}", "en", chunk, intent)]


def generate(data: Path, count: int, seed: int = 0) -> list[Entry]:
    """`count` entries drawn from every source, ids kept whole across languages."""
    rng = random.Random(seed)
    groups = [*covid_faq(data), *massive_nb(data, rng), *intents(data, rng)]
    rng.shuffle(groups)
    entries: list[Entry] = []
    for group in groups:
        if len(entries) + len(group) > count:
            continue
        entries.extend(group)
        if len(entries) == count:
            break
    if len(entries) < count:
        raise ValueError(f"the data holds {len(entries)} entries, fewer than {count}")
    return entries


def write_kb(entries: list[Entry], faq_dir: Path, files: int = FILES) -> list[Path]:
    """The entries as KB files `kb_00.yml`...; an id's languages stay in one file."""
    faq_dir.mkdir(parents=True, exist_ok=True)
    by_file: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_file[sum(entry["id"].encode()) % files].append(entry)
    paths = []
    for n, chunk in sorted(by_file.items()):
        path = faq_dir / f"kb_{n:02d}.yml"
        document = {"version": 1, "entries": chunk}
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
        paths.append(path)
    return paths


def _chunks(items: list[Any], rng: random.Random) -> Iterator[list[Any]]:
    """Consecutive runs of 1-3 items, deduplicated (an entry repeats no phrasing)."""
    unique = list(dict.fromkeys(items))
    start = 0
    while start < len(unique):
        size = rng.choice((1, 2, 2, 3))
        yield unique[start : start + size]
        start += size


def _entry(faq_id: str, lang: str, texts: list[str], intent: str) -> Entry:
    texts = [_clean(t) for t in texts]
    entry: Entry = {"id": faq_id, "lang": lang, "question": texts[0]}
    if texts[1:]:
        entry["alternatives"] = texts[1:]
    topic = _slug(re.sub(r"^(clinc|banking)_", "", intent)).replace("_", " ")
    entry["answer"] = f"(The answer about {topic}.)"
    return entry


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")


def _clean(text: str) -> str:
    return " ".join((text or "").split())
