"""Answer quality on knowledge bases built from public intent data sets.

The demo KB and its eval set were written by us; a support team's KB was not.
This turns a public intent data set into a KB nobody here tuned for (each
intent an entry with a handful of its training utterances as phrasings, the
way a content editor writes a few) and runs `bot kb build` and `bot eval` on
it, through the same code path as the bot, with the data set's own test
utterances and out-of-scope sets as questions:

- banking77-oos: 50 banking intents; out of scope are 27 held-out banking
  intents (near-domain, the hard case of a KB gap) and general queries.
- clinc150: 150 intents in 10 domains; out of scope are CLINC's oos queries.

    .venv/bin/python -m bench.public_kb [--dataset banking77-oos] [--phrasings 6]

English only: the data sets are. Results go to reports/public-kb/<dataset>/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from bot.settings import ROOT

BENCH_DATA = ROOT.parent / "shared" / "bench"
DATASETS = ("banking77-oos", "clinc150")


def banking77_oos(data: Path) -> tuple[dict[str, list[str]], list[tuple[str, str]], list[str]]:
    """Training utterances per intent, labelled test questions, out-of-scope questions."""
    base = data / "banking77-oos"

    def lines(path: Path) -> list[str]:
        return path.read_text(encoding="utf-8").splitlines()

    train: dict[str, list[str]] = defaultdict(list)
    for text, label in zip(lines(base / "train/seq.in"), lines(base / "train/label"), strict=True):
        if text.strip():
            train[label.strip()].append(text.strip())
    test = [
        (text.strip(), label.strip())
        for text, label in zip(lines(base / "test/seq.in"), lines(base / "test/label"), strict=True)
        if text.strip()
    ]
    out_of_scope = [
        text.strip()
        for split in ("id-oos/test", "ood-oos/test")
        for text in lines(base / split / "seq.in")
        if text.strip()
    ]
    return train, test, out_of_scope


def clinc150(data: Path) -> tuple[dict[str, list[str]], list[tuple[str, str]], list[str]]:
    document = json.loads((data / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    train: dict[str, list[str]] = defaultdict(list)
    for text, label in document["train"]:
        train[label].append(text)
    test = [(text, label) for text, label in document["test"]]
    out_of_scope = [text for text, _ in document["oos_test"]]
    return train, test, out_of_scope


def entry_id(intent: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", intent.lower()).strip("_")


def write_kb(
    train: dict[str, list[str]], phrasings: int, rng: random.Random, faq_dir: Path
) -> None:
    entries = []
    for intent in sorted(train):
        texts = rng.sample(train[intent], min(phrasings, len(train[intent])))
        entries.append(
            {
                "id": entry_id(intent),
                "lang": "en",
                "question": texts[0],
                "alternatives": texts[1:],
                "answer": f"(The answer about {intent.replace('_', ' ')}.)",
            }
        )
    faq_dir.mkdir(parents=True, exist_ok=True)
    for old in faq_dir.glob("*.yml"):
        old.unlink()
    document = {"version": 1, "entries": entries}
    (faq_dir / "kb.yml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def write_questions(
    test: list[tuple[str, str]],
    out_of_scope: list[str],
    n_in: int,
    n_out: int,
    rng: random.Random,
    path: Path,
) -> None:
    chosen = rng.sample(test, min(n_in, len(test)))
    questions = [
        {"text": text, "lang": "en", "expected": entry_id(label)} for text, label in chosen
    ]
    questions += [
        {"text": text, "lang": "en", "expected": None}
        for text in rng.sample(out_of_scope, min(n_out, len(out_of_scope)))
    ]
    document = {"version": 1, "questions": questions}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, default="banking77-oos")
    parser.add_argument("--data", type=Path, default=BENCH_DATA)
    parser.add_argument("--phrasings", type=int, default=6, help="phrasings per KB entry")
    parser.add_argument("--questions", type=int, default=400, help="in-scope questions")
    parser.add_argument("--out-of-scope", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (args.data / args.dataset).is_dir():
        parser.error(f"{args.data / args.dataset} not found: point --data at shared/bench")
    loader = banking77_oos if args.dataset == "banking77-oos" else clinc150
    train, test, out_of_scope = loader(args.data)
    rng = random.Random(args.seed)
    work = ROOT / "reports" / "public-kb" / args.dataset
    write_kb(train, args.phrasings, rng, work / "faq")
    write_questions(
        test, out_of_scope, args.questions, args.out_of_scope, rng, work / "questions.yml"
    )
    env = {
        **os.environ,
        "BOT_FAQ_DIR": str(work / "faq"),
        "BOT_INDEX_DIR": str(work / "kb_index"),
        "DATABASE_URL": f"sqlite:///{work / 'eval.db'}",
    }
    (work / "eval.db").unlink(missing_ok=True)
    bot = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*bot, "kb", "build"], env=env, check=True)
    subprocess.run(
        [*bot, "eval", "--questions", str(work / "questions.yml"), "--report", str(work / "eval")],
        env=env,
        check=True,
    )


if __name__ == "__main__":
    main()
