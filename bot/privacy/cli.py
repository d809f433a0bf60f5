"""`bot privacy ...`: how well the masking finds personal data, from a shell."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.settings import ROOT, Settings


def add_privacy_commands(commands: argparse._SubParsersAction) -> None:
    privacy = commands.add_parser("privacy", help="customers' personal data").add_subparsers(
        dest="privacy", required=True
    )
    evaluate = privacy.add_parser(
        "eval", help="masking recall per type and false positives, Svar and Presidio"
    )
    evaluate.add_argument("--set", type=Path, default=ROOT / "data" / "eval" / "pii.yml")
    evaluate.add_argument("--no-presidio", action="store_true", help="Svar only")
    evaluate.add_argument("--details", action="store_true", help="list misses and false positives")
    evaluate.add_argument("--report", type=Path, default=ROOT / "reports" / "privacy")
    evaluate.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.privacy.evaluate import details, meets_targets, report, run

    scores, unavailable = run(args.set, with_presidio=not args.no_presidio)
    text = report(scores, unavailable)
    print(text)
    if args.details:
        for s in scores:
            print(f"\n{s.name}: {json.dumps(details(s), ensure_ascii=False)}")
    args.report.mkdir(parents=True, exist_ok=True)
    (args.report / "pii_eval.md").write_text(text + "\n", encoding="utf-8")
    print(f"\nreport: {args.report / 'pii_eval.md'}")
    return 0 if meets_targets(scores[0]) else 1
