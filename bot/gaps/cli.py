"""`bot gaps ...`: the gap report, re-grouping and the grouping evaluation, from a shell.

Reads the same database the running bot service writes (DATABASE_URL).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.settings import ROOT, Settings


def add_gap_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `bot gaps report | recluster | eval` on the main CLI's subcommands."""
    gaps = commands.add_parser("gaps", help="the gap list").add_subparsers(
        dest="gaps", required=True
    )
    report = gaps.add_parser("report", help="gaps ranked by impact")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report.add_argument("--status", default="open", help="open | answered | dismissed | all")
    report.add_argument("--lang")
    report.add_argument("--team")
    report.add_argument("--limit", type=int, default=50)
    report.set_defaults(handler=_report)
    gaps.add_parser("recluster", help="regroup all open no-answer gaps").set_defaults(
        handler=_recluster
    )
    evaluate = gaps.add_parser("eval", help="grouping quality on a labelled question set")
    evaluate.add_argument("--groups", type=Path, default=ROOT / "data" / "eval" / "gap_groups.yml")
    evaluate.add_argument("--sweep", action="store_true", help="also try other thresholds")
    evaluate.set_defaults(handler=_eval)


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gaps.report import GapFilter, gap_rows, rows_to_csv, rows_to_table
    from bot.storage import Database

    db = Database(settings.database_url)
    db.migrate()
    status = None if args.status == "all" else args.status
    rows = gap_rows(db, GapFilter(status=status, lang=args.lang, team=args.team, limit=args.limit))
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        print(rows_to_csv(rows), end="")
    else:
        print(rows_to_table(rows))
    return 0


def _recluster(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gaps.cluster import recluster
    from bot.gaps.vectors import searcher_embedder
    from bot.kb.encoders import create_encoder
    from bot.kb.index import load_index
    from bot.kb.search import Searcher
    from bot.storage import Database

    db = Database(settings.database_url)
    db.migrate()
    encoder = create_encoder(settings.embedding_model)
    searcher = Searcher(load_index(settings.index_dir, encoder.name), encoder)
    count = recluster(db, searcher_embedder(searcher))
    print(f"{count} open no-answer gaps after regrouping")
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gaps.evaluate import evaluate_file
    from bot.gaps.vectors import encoder_embedder
    from bot.kb.encoders import create_encoder

    embed = encoder_embedder(create_encoder(settings.embedding_model))
    questions, scores = evaluate_file(args.groups, embed, sweep=args.sweep)
    groups = len({q.group for q in questions})
    langs = sorted({q.lang for q in questions})
    print(f"{len(questions)} questions, {groups} groups, languages {', '.join(langs)}")
    print(f"{'method':10} {'cut':>5} {'ARI':>6} {'P':>6} {'R':>6} {'F1':>6} {'groups':>6}")
    for s in scores:
        print(
            f"{s.method:10} {s.threshold:5.2f} {s.ari:6.3f} {s.precision:6.3f} "
            f"{s.recall:6.3f} {s.f1:6.3f} {s.groups:6d}"
        )
    return 0
