"""Account changes as `reach users` and the Administration page make them: checked, audited, then written.

Each change is written to the audit log (`user.add`, `user.disable`, `user.reset`; object `user
NAME`, detail `describe`) under the account file's lock and before the file is replaced, so a
change that cannot be audited is not made. No password ever reaches the log.

`signed_in_as` is the admin making the change in the dashboard: they change nothing of their own
account there (no lock-out by a slip of the mouse) and no change may leave no enabled admin. The
operator running `reach users` on the server has file access anyway and is not held to either.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from pipelines import audit
from pipelines.access.accounts import AccountStore, Guard
from pipelines.access.model import Account, Role
from pipelines.access.rules import AccountError, AccountProblem, normalise_name
from pipelines.home import Home

ADD, DISABLE, RESET = "user.add", "user.disable", "user.reset"
# No 0/O, 1/l/I: the password is read off a screen and typed or dictated.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GROUPS, _GROUP = 5, 5  # 25 random characters of 57: about 146 bits


def describe(account: Account) -> str:
    """Role and scope in words, as the audit log and `reach users list` show them."""
    return f"role {account.role.value}; scope {account.scope.describe()}"


def generate_password() -> str:
    """A strong random password (secrets), in groups of five for reading: `abcde-fghij-…`."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(_GROUP)) for _ in range(_GROUPS))


def add_account(home: Home, actor: audit.Actor, name: str, role: str, password: str, *,
                centres: tuple[str, ...] = (), districts: tuple[str, ...] = (), note: str = "") -> Account:
    return AccountStore(home).add(name, role, password, centres=centres, districts=districts,
                                  before_write=_audited(home, actor, ADD, note))


def disable_account(home: Home, actor: audit.Actor, name: str, *, signed_in_as: str | None = None) -> Account:
    _not_own(name, signed_in_as)
    return AccountStore(home).disable(name, guard=_keeps_an_admin if signed_in_as else None,
                                      before_write=_audited(home, actor, DISABLE))


def reset_account(home: Home, actor: audit.Actor, name: str, password: str, *, role: str | None = None,
                  centres: tuple[str, ...] | None = None, districts: tuple[str, ...] | None = None,
                  signed_in_as: str | None = None, note: str = "") -> Account:
    """A new password (and, if given, role and scope); a disabled account is enabled again."""
    _not_own(name, signed_in_as)
    guard: Guard | None = _keeps_an_admin if signed_in_as else None
    return AccountStore(home).reset(name, password, role=role, centres=centres, districts=districts, guard=guard,
                                    before_write=_audited(home, actor, RESET, note))


def _audited(home: Home, actor: audit.Actor, action: str, note: str = ""):
    def write(account: Account) -> None:
        audit.record(home, actor, action, f"user {account.name}", describe(account) + (f"; {note}" if note else ""))
    return write


def _not_own(name: str, signed_in_as: str | None) -> None:
    if signed_in_as is not None and normalise_name(name) == normalise_name(signed_in_as):
        raise AccountError([AccountProblem("account", "own_account", "Your own account is not changed on the "
                                           "Administration page; use `reach users` on the server.",
                                           (normalise_name(name),))])


def _keeps_an_admin(accounts: Mapping[str, Account], old: Account, new: Account) -> None:
    def admin(account: Account) -> bool:
        return account.role is Role.ADMIN and not account.disabled

    if admin(old) and not admin(new) and not any(admin(a) for n, a in accounts.items() if n != old.name):
        raise AccountError([AccountProblem("account", "last_admin", f"'{old.name}' is the last enabled admin; "
                                           "add or enable another admin first.", (old.name,))])
