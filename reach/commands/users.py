"""`reach users add|list|disable|reset NAME [--role R] [--centre C ...] [--district D ...]` (access.md).

The password is never an argument (it would stay in the shell history and the process list):
it is asked twice at the terminal without echo, or read from the environment variable
REACH_PASSWORD, or with --password-stdin from the first line of standard input (for scripts).
The rules of an account and the audited changes are pipelines/access's (rules.py, manage.py),
shared with the dashboard's Administration page: every change is written to the audit log before
the account file is replaced.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from pipelines import audit
from pipelines.access import Account, AccountStore, Role, add_account, describe, disable_account, reset_account
from pipelines.errors import ReachError
from pipelines.home import Home

PASSWORD_ENV = "REACH_PASSWORD"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("add", "list", "disable", "reset"))
    parser.add_argument("name", nargs="?", metavar="NAME", help="the account (not for list)")
    parser.add_argument("--role", choices=[r.value for r in Role], help="for add (required) and reset")
    parser.add_argument("--centre", action="extend", nargs="*", default=None, metavar="C",
                        help="centre code(s) of the scope, e.g. ULK")
    parser.add_argument("--district", action="extend", nargs="*", default=None, metavar="D",
                        help="district code(s) narrowing a coordinator's scope, e.g. CZ0642 (none: every district)")
    parser.add_argument("--password-stdin", action="store_true",
                        help=f"read the password from the first line of standard input (else ${PASSWORD_ENV}, "
                             "else asked at the terminal)")


def table(accounts: list[Account]) -> str:
    rows = [("name", "role", "scope", "state", "changed")]
    rows += [(a.name, a.role.value, a.scope.describe(), "disabled" if a.disabled else "enabled", a.changed)
             for a in accounts]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise ReachError(f"No password: run at a terminal, set {PASSWORD_ENV}, or pass --password-stdin.")
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise ReachError("The two passwords differ; nothing was changed.")
    return first


def run(args: argparse.Namespace, home: Home) -> int:
    store = AccountStore(home)
    if args.action == "list":
        accounts = sorted(store.accounts().values(), key=lambda a: a.name)
        print(table(accounts) if accounts else f"No accounts in {store.path}; add one with `reach users add NAME "
                                                "--role admin`.")
        return 0
    if not args.name:
        raise ReachError(f"`reach users {args.action}` needs the account's NAME.")
    actor = audit.cli_actor()
    if args.action == "add":
        if not args.role:
            raise ReachError("`reach users add` needs --role (admin, analyst, coordinator, board or ministry).")
        account = add_account(home, actor, args.name, args.role, read_password(args), centres=tuple(args.centre or ()),
                              districts=tuple(args.district or ()))
        print(f"Added {account.name}: {describe(account)}.")
    elif args.action == "disable":
        account = disable_account(home, actor, args.name)
        print(f"Disabled {account.name}; their sessions end with their next request.")
    else:
        account = reset_account(home, actor, args.name, read_password(args), role=args.role,
                                centres=tuple(args.centre) if args.centre is not None else None,
                                districts=tuple(args.district) if args.district is not None else None)
        print(f"Reset {account.name} (enabled, new password): {describe(account)}; their old sessions have ended.")
    return 0
