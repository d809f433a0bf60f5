"""`bot users add|passwd|remove|roles|list`: staff accounts (bot/accounts.py).

Every change is in the staff audit log (bot/audit.py) as done by `cli:<os user>`.

Passwords are read from the terminal (twice), or from one line of standard input with
`--password-stdin` (scripts); never from the command line, where `ps` would show them.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot import accounts
from bot.audit import record_cli
from bot.settings import Settings
from bot.settings.staff import ROLES
from bot.storage import Database


def add_user_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `bot users add | passwd | roles | remove | list` on the main CLI's subcommands."""
    users = commands.add_parser("users", help="staff accounts").add_subparsers(
        dest="users", required=True
    )
    add = users.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(handler=_add)
    passwd = users.add_parser("passwd", help="set a new password (ends the user's sessions)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(handler=_passwd)
    roles = users.add_parser("roles", help="set the roles (ends the user's sessions)")
    roles.add_argument("name")
    roles.add_argument("--role", action="append", required=True, choices=ROLES)
    roles.set_defaults(handler=_roles)
    remove = users.add_parser("remove", help="delete an account and its sessions")
    remove.add_argument("name")
    remove.set_defaults(handler=_remove)
    users.add_parser("list", help="names and roles").set_defaults(handler=_list)


def _db(settings: Settings) -> Database:
    db = Database(settings.database_url)
    db.migrate()
    return db


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise accounts.AccountError(args.name, "the two passwords differ")
    return first


def _add(args: argparse.Namespace, settings: Settings) -> int:
    db = _db(settings)
    accounts.add_user(db, args.name, _password(args), args.role)
    record_cli(db, "user.add", f"{args.name}:{'+'.join(sorted(set(args.role)))}")
    print(f"user {args.name} added ({'+'.join(sorted(set(args.role)))})")
    return 0


def _passwd(args: argparse.Namespace, settings: Settings) -> int:
    db = _db(settings)
    accounts.set_password(db, args.name, _password(args))
    record_cli(db, "user.passwd", args.name)
    print(f"password of {args.name} changed; their sessions are ended")
    return 0


def _roles(args: argparse.Namespace, settings: Settings) -> int:
    db = _db(settings)
    accounts.set_roles(db, args.name, args.role)
    record_cli(db, "user.roles", f"{args.name}:{'+'.join(sorted(set(args.role)))}")
    print(f"roles of {args.name} set; their sessions are ended")
    return 0


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    db = _db(settings)
    accounts.remove_user(db, args.name)
    record_cli(db, "user.remove", args.name)
    print(f"user {args.name} removed")
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    for user in accounts.list_users(_db(settings)):
        print(f"{user.name}\t{'+'.join(sorted(user.roles))}")
    return 0
