"""`bot privacy ...`: the masking's evaluation, the purge, export and erasure, from a shell."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from bot.settings import ROOT, Settings


def add_privacy_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `bot privacy eval | purge | export | erase` on the main CLI's subcommands."""
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

    purge = privacy.add_parser("purge", help="delete what is past its retention limit")
    purge.add_argument("--dry-run", action="store_true", help="count, change nothing")
    purge.set_defaults(handler=_purge)
    for name, text in (
        ("export", "everything held about one person, as JSON (GDPR art. 15)"),
        ("erase", "remove one person from every store (GDPR art. 17)"),
    ):
        command = privacy.add_parser(name, help=text)
        who = command.add_mutually_exclusive_group(required=True)
        who.add_argument("--customer", help="a customer id a channel proved (all their chats)")
        who.add_argument("--sender", help="one conversation's sender id")
        if name == "export":
            command.add_argument("--out", type=Path, help="file to write (default: stdout)")
            command.set_defaults(handler=_export)
        else:
            command.add_argument("--request", help="the erasure request's ticket id, for the audit")
            command.add_argument("--yes", action="store_true", help="do not ask to confirm")
            command.set_defaults(handler=_erase)
    status = privacy.add_parser("status", help="retention limits and the last purge")
    status.set_defaults(handler=_status)
    log_id = privacy.add_parser("log-id", help="a sender id as the logs show it (SVAR_LOG_KEY)")
    log_id.add_argument("sender")
    log_id.set_defaults(handler=_log_id)


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


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.handoff.clock import now
    from bot.privacy.purge import purge
    from bot.privacy.schedule import purge_once
    from bot.privacy.tracker import TrackerStore
    from bot.storage import Database

    db = Database(settings.database_url)
    db.migrate()
    try:
        if args.dry_run:  # nothing changes: no lease needed
            store = TrackerStore(settings.tracker_url)
            try:
                result = purge(db, store, settings.retention, now(settings), dry_run=True)
            finally:
                store.dispose()
        else:
            ran = purge_once(db, settings, f"cli:{getpass.getuser()}", now(settings))
            if ran is None:
                print("error: a bot service replica is purging now; try again later")
                return 1
            result = ran
    finally:
        db.dispose()
    print(json.dumps(result.as_json(), indent=2))
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.audit import record_cli
    from bot.handoff.clock import now
    from bot.privacy.access import export
    from bot.privacy.subjects import requested
    from bot.privacy.tracker import TrackerStore
    from bot.storage import Database

    kind, subject_id = requested(args.customer, args.sender)
    db = Database(settings.database_url)
    db.migrate()
    store = TrackerStore(settings.tracker_url)
    try:
        document = export(db, store, kind, subject_id, now(settings))
        record_cli(db, "privacy.export")  # who exported, never whose data
    finally:
        store.dispose()
        db.dispose()
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"written: {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0


def _erase(args: argparse.Namespace, settings: Settings) -> int:
    from bot.audit import record_cli
    from bot.handoff.clock import now
    from bot.privacy.access import erase
    from bot.privacy.subjects import requested
    from bot.privacy.tracker import TrackerStore
    from bot.storage import Database

    kind, subject_id = requested(args.customer, args.sender)
    if not args.yes and input(f"erase all data of {kind} {subject_id}? [y/N] ").lower() != "y":
        print("nothing erased")
        return 1
    db = Database(settings.database_url)
    db.migrate()
    store = TrackerStore(settings.tracker_url)
    try:
        counts = erase(
            db, store, kind, subject_id, f"cli:{getpass.getuser()}", args.request, now(settings)
        )
        record_cli(db, "privacy.erase")
    finally:
        store.dispose()
        db.dispose()
    print(json.dumps(counts, indent=2))
    return 0


def _log_id(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from svar_privacy import log_id

    if not os.environ.get("SVAR_LOG_KEY"):
        print("SVAR_LOG_KEY is not set: each process hashes with a key of its own", file=sys.stderr)
        return 1
    print(log_id(args.sender))
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from bot.privacy.schedule import status
    from bot.storage import Database

    db = Database(settings.database_url)
    db.migrate()
    try:
        print(json.dumps(status(db, settings), indent=2))
    finally:
        db.dispose()
    return 0
