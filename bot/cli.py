"""The `bot` command: build the KB index, serve, inspect."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.errors import BotError
from bot.gaps.cli import add_gap_commands
from bot.handoff.evaluation import ACCOUNT_DIALOGUES, DEV_DIALOGUES, DEV_MESSAGES
from bot.privacy.cli import add_privacy_commands
from bot.settings import ROOT, Settings
from bot.users_cli import add_user_commands

logger = logging.getLogger("bot")


def main(argv: Sequence[str] | None = None) -> int:
    """The `bot` command; BotError becomes a one-line message and exit status 2."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # logs each CPU probe
    try:
        settings = _settings(args)
        result: int = args.handler(args, settings)
        return result
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--faq-dir", type=Path, help="KB directory (default: BOT_FAQ_DIR)")
    parser.add_argument("--index-dir", type=Path, help="index directory (default: BOT_INDEX_DIR)")
    parser.add_argument("--model", help="embedding model (default: BOT_EMBEDDING_MODEL)")
    commands = parser.add_subparsers(dest="command", required=True)

    kb = commands.add_parser("kb", help="knowledge base").add_subparsers(dest="kb", required=True)
    validate = kb.add_parser("validate", help="check the KB files and report every problem")
    validate.set_defaults(handler=_kb_validate)
    build = kb.add_parser("build", help="validate the KB and build the index if it changed")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build.set_defaults(handler=_kb_build)

    serve = commands.add_parser("serve", help="run the bot service (actions, status)")
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="create or migrate the schema").set_defaults(handler=_db_upgrade)

    evaluate = commands.add_parser("eval", help="answer quality on a labelled question file")
    evaluate.add_argument(
        "--questions", type=Path, default=ROOT / "data" / "eval" / "questions.yml"
    )
    evaluate.add_argument("--report", type=Path, default=ROOT / "reports" / "eval")
    evaluate.set_defaults(handler=_eval)

    handoff = commands.add_parser("handoff", help="handoff to a human").add_subparsers(
        dest="handoff", required=True
    )
    handoff_eval = handoff.add_parser("eval", help="handoff precision/recall per reason")
    handoff_eval.add_argument(
        "--dialogues",
        type=Path,
        nargs="+",
        default=[
            *DEV_DIALOGUES,
            ROOT / "data" / "eval" / "handoff_test_dialogues.yml",
            ROOT / "data" / "eval" / "handoff_test2_dialogues.yml",
        ],
        help="dialogue files (each records its split: dev, test or test2)",
    )
    handoff_eval.add_argument(
        "--words-only", action="store_true", help="without the meaning models (the old signals)"
    )
    handoff_eval.add_argument("--report", type=Path, default=ROOT / "reports" / "handoff")
    handoff_eval.add_argument("--sweep", action="store_true", help="also try other thresholds")
    handoff_eval.add_argument(
        "--messages",
        type=Path,
        nargs="+",
        help="instead: share of answerable messages handed off, per reason, on eval files",
    )
    handoff_eval.set_defaults(handler=_handoff_eval)
    handoff_train = handoff.add_parser("train", help="fit the frustration and account models")
    handoff_train.add_argument(
        "--dev",
        type=Path,
        nargs="+",
        default=DEV_MESSAGES,
        help="dev message files (split: dev)",
    )
    handoff_train.add_argument(
        "--dialogues",
        type=Path,
        nargs="+",
        default=DEV_DIALOGUES,
        help="dev dialogue files whose turns the frustration model learns from",
    )
    handoff_train.add_argument(
        "--account-dialogues",
        type=Path,
        nargs="+",
        default=ACCOUNT_DIALOGUES,
        help="dev dialogue files whose long turns the account model learns from",
    )
    handoff_train.set_defaults(handler=_handoff_train)
    handoff_held_out = handoff.add_parser(
        "held-out", help="replay each dev dialogue file with models trained without it"
    )
    for flag, files in (
        ("--dialogues", DEV_DIALOGUES),
        ("--account-dialogues", ACCOUNT_DIALOGUES),
        ("--dev", DEV_MESSAGES),
    ):
        handoff_held_out.add_argument(flag, type=Path, nargs="+", default=files)
    handoff_held_out.add_argument("--report", type=Path, default=ROOT / "reports" / "handoff")
    handoff_held_out.set_defaults(handler=_handoff_held_out)

    ask = commands.add_parser("ask", help="show how the KB search decides on a question")
    ask.add_argument("question")
    ask.set_defaults(handler=_ask)
    add_gap_commands(commands)
    add_privacy_commands(commands)
    add_user_commands(commands)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    overrides = {
        "faq_dir": args.faq_dir,
        "index_dir": args.index_dir,
        "embedding_model": args.model,
    }
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def _kb_validate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.kb.format import load_kb

    kb = load_kb(settings.faq_dir)
    print(f"{settings.faq_dir}: {len(kb.entries)} entries, {len(kb.ids())} topics, OK")
    return 0


def _kb_build(args: argparse.Namespace, settings: Settings) -> int:
    from bot.kb.build import build

    build(settings, force=args.force)
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web import create_app

    app = create_app(settings)
    app.run(
        host=settings.host,
        port=settings.port,
        single_process=True,
        access_log=False,
        motd=False,
    )
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.storage import Database

    Database(settings.database_url).migrate()
    print("database schema is up to date")
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from bot.evaluation.dataset import load_questions
    from bot.evaluation.report import print_report, write_report
    from bot.evaluation.run import evaluate
    from bot.kb.build import build
    from bot.runtime import Runtime

    questions = load_questions(args.questions)
    build(settings)
    # Same code path as the action, but gaps go to a throwaway in-memory database,
    # whose migrations and gap records need not interleave with the progress bar.
    if logger.getEffectiveLevel() > logging.DEBUG:
        for name in ("alembic", "bot.gaps"):
            logging.getLogger(name).setLevel(logging.WARNING)
    rt = Runtime.start(replace(settings, database_url="sqlite://"))
    with tqdm(total=len(questions), desc="evaluating", unit="question") as bar:
        results = evaluate(rt, questions, progress=bar.update)
    thresholds = rt.index.searcher().index.thresholds.overridden(settings.threshold_override)
    print_report(results, thresholds)
    page = write_report(results, thresholds, args.report)
    print(f"\nreport: {page}")
    return 0


def _handoff_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation.handoff import full_report, messages_report, words_only
    from bot.kb.build import build
    from bot.runtime import Runtime

    build(settings)
    # The real triggers and KB; tickets go to a throwaway in-memory database.
    rt = Runtime.start(replace(settings, database_url="sqlite://", clock=None, webhook_url=None))
    if args.words_only:
        rt = words_only(rt)
    if args.messages:
        text, name = messages_report(rt, args.messages), "handoff_messages.md"
    else:
        text, name = full_report(rt, args.dialogues, args.sweep), "handoff_eval.md"
    print(text)
    args.report.mkdir(parents=True, exist_ok=True)
    (args.report / name).write_text(text + "\n", encoding="utf-8")
    print(f"\nreport: {args.report / name}")
    return 0


def _handoff_held_out(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation.held_out import folds, held_out, held_out_report
    from bot.kb.build import build
    from bot.runtime import Runtime

    build(settings)
    rt = Runtime.start(replace(settings, database_url="sqlite://", clock=None, webhook_url=None))
    models = args.report / "held-out-models"
    results = held_out(
        rt,
        folds(args.dialogues, args.account_dialogues),
        args.dev,
        models,
        progress=lambda step: print(step, file=sys.stderr, flush=True),
    )
    text = held_out_report(results)
    print(text)
    args.report.mkdir(parents=True, exist_ok=True)
    (args.report / "handoff_held_out.md").write_text(text + "\n", encoding="utf-8")
    print(f"\nreport: {args.report / 'handoff_held_out.md'}; models: {models}")
    return 0


def _handoff_train(args: argparse.Namespace, settings: Settings) -> int:
    from bot.handoff.train_models import train
    from bot.kb.encoders import create_encoder
    from bot.kb.format import load_kb

    kb = [(text, e.lang) for e in load_kb(settings.faq_dir).entries for text in e.texts]
    encoder = create_encoder(settings.embedding_model)
    made = train(encoder, kb, args.dev, args.dialogues, account_dialogues=args.account_dialogues)
    for model in made:
        print(f"{model.kind}: offer {model.offer}, handoff {model.handoff}, {model.record}")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import Runtime
    from bot.turn import TurnContext, answer_question, read_here

    rt = Runtime.start(settings)
    question = read_here(args.question, "cli", settings, channel="cli")
    reply = answer_question(TurnContext.of(rt), question)
    print(f"{reply.kind} ({reply.lang}): {reply.custom}")
    for c in reply.candidates or ():
        print(
            f"  {c.faq_id:28s} confidence={c.confidence:.3f} score={c.score:.3f} "
            f"dense={c.dense:.3f} lex={c.lexical:.3f}"
        )
    print(reply.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
