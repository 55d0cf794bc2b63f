"""Local accounts in <home>/accounts.json (mode 0600): names, roles, scopes and Argon2id hashes only.

The file lives in the warehouse home, beside (never inside) the published warehouse. Every
change rewrites it whole under an exclusive lock and replaces it atomically, so a reader (the
dashboard, in another process) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path

from pipelines.access.model import Account, Role
from pipelines.access.passwords import hash_password
from pipelines.access.rules import AccountError, AccountProblem, checked_account, normalise_name
from pipelines.errors import ReachError
from pipelines.home import Home

__all__ = ["AccountStore", "BeforeWrite", "Guard", "normalise_name"]

FORMAT = 1
BeforeWrite = Callable[[Account], None]
# Refuses a change (raises) from every account as it is, the account before and after; runs under the lock.
Guard = Callable[[Mapping[str, Account], Account, Account], None]


class AccountStore:
    def __init__(self, home: Home) -> None:
        self.path: Path = home.accounts_file
        self._cache: tuple[tuple[int, int, int], dict[str, Account]] | None = None

    # -- reading ---------------------------------------------------------------------------------
    def accounts(self) -> dict[str, Account]:
        """All accounts by name; re-read only when the file changed (the dashboard asks on every request)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self._read())
        return self._cache[1]

    def get(self, name: str) -> Account | None:
        return self.accounts().get(normalise_name(name))

    def any_enabled(self) -> bool:
        return any(not account.disabled for account in self.accounts().values())

    def _read(self) -> dict[str, Account]:
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            return {item["name"]: _account(item) for item in record["accounts"]}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ReachError(f"The account file {self.path} cannot be read ({error}); "
                             "restore it from a backup or remove it and add the accounts again.") from None

    # -- changing --------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str, *, centres: tuple[str, ...] = (),
            districts: tuple[str, ...] = (), before_write: BeforeWrite | None = None) -> Account:
        """A new account, checked by pipelines/access/rules.py (name, role, scope against the reference)."""
        checked = checked_account(name, role, centres, districts)
        account = replace(checked, password_hash=hash_password(password), created=_now(), changed=_now())

        def change(accounts: dict[str, Account]) -> Account:
            if account.name in accounts:
                raise AccountError([AccountProblem(
                    "name", "name_taken", f"The account '{account.name}' exists already; use "
                    f"`reach users reset {account.name}` to give it a new password.", (account.name,))])
            accounts[account.name] = account
            return account

        return self._change(change, before_write)

    def disable(self, name: str, *, guard: Guard | None = None, before_write: BeforeWrite | None = None) -> Account:
        return self._update(name, lambda a: replace(a, disabled=True), guard, before_write)

    def reset(self, name: str, password: str, *, role: str | None = None, centres: tuple[str, ...] | None = None,
              districts: tuple[str, ...] | None = None, guard: Guard | None = None,
              before_write: BeforeWrite | None = None) -> Account:
        """A new password (and, if given, role and scope); the account is enabled again."""
        new_hash = hash_password(password)

        def changed(account: Account) -> Account:
            updated = checked_account(
                account.name, role or account.role, centres if centres is not None else account.centres,
                districts if districts is not None else account.districts, password_hash=new_hash, base=account)
            return replace(updated, disabled=False)

        return self._update(name, changed, guard, before_write)

    def _update(self, name: str, how: Callable[[Account], Account], guard: Guard | None,
                before_write: BeforeWrite | None) -> Account:
        name = normalise_name(name)

        def change(accounts: dict[str, Account]) -> Account:
            if name not in accounts:
                raise AccountError([AccountProblem("account", "account_unknown", f"There is no account '{name}' "
                                                   f"in {self.path} (see `reach users list`).", (name,))])
            old = accounts[name]
            new = replace(how(old), generation=old.generation + 1, changed=_now())
            if guard is not None:
                guard(accounts, old, new)
            accounts[name] = new
            return new

        return self._change(change, before_write)

    def _change(self, change: Callable[[dict[str, Account]], Account], before_write: BeforeWrite | None) -> Account:
        """Apply `change` under the lock; `before_write` (the audit entry) runs before the file is replaced,
        so a change that could not be audited is not made."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(self.path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            accounts = dict(self._read()) if self.path.exists() else {}
            result = change(accounts)
            if before_write is not None:
                before_write(result)
            self._write(accounts)
            return result
        finally:
            os.close(lock_fd)

    def _write(self, accounts: dict[str, Account]) -> None:
        record = {"format": FORMAT, "accounts": [_record(a) for a in sorted(accounts.values(), key=lambda a: a.name)]}
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)
        self._cache = None


def _record(account: Account) -> dict[str, object]:
    return asdict(account) | {"role": account.role.value, "centres": list(account.centres),
                              "districts": list(account.districts)}


def _account(item: dict[str, object]) -> Account:
    return Account(name=str(item["name"]), role=Role(str(item["role"])), centres=tuple(item["centres"]),
                   districts=tuple(item["districts"]), password_hash=str(item["password_hash"]),
                   disabled=bool(item["disabled"]), generation=int(item["generation"]),
                   created=str(item.get("created", "")), changed=str(item.get("changed", "")))


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
