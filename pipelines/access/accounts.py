"""Local accounts in <home>/accounts.json (mode 0600): names, roles, scopes and Argon2id hashes only.

The file lives in the warehouse home, beside (never inside) the published warehouse. Every
change rewrites it whole under an exclusive lock and replaces it atomically, so a reader (the
dashboard, in another process) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path

from pipelines.access.model import Account, Role
from pipelines.access.passwords import hash_password
from pipelines.errors import ReachError
from pipelines.home import Home

NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
CENTRE = re.compile(r"[A-Z0-9]{2,10}")
DISTRICT = re.compile(r"CZ0\d{3}")
FORMAT = 1
BeforeWrite = Callable[[Account], None]


def normalise_name(name: str) -> str:
    return name.strip().lower()


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
        name = normalise_name(name)
        if not NAME.fullmatch(name):
            raise ReachError(f"'{name}' is not a valid account name: use 1–64 lower-case letters, digits and . _ @ -, "
                             "starting with a letter or digit.")
        account = Account(name=name, role=_role(role), centres=_codes(centres, CENTRE, "centre"),
                          districts=_codes(districts, DISTRICT, "district"), password_hash=hash_password(password),
                          created=_now(), changed=_now())
        _check_scope(account)

        def change(accounts: dict[str, Account]) -> Account:
            if name in accounts:
                raise ReachError(f"The account '{name}' exists already; use `reach users reset {name}` "
                                 "to give it a new password.")
            accounts[name] = account
            return account

        return self._change(change, before_write)

    def disable(self, name: str, *, before_write: BeforeWrite | None = None) -> Account:
        return self._update(name, lambda a: replace(a, disabled=True), before_write)

    def reset(self, name: str, password: str, *, role: str | None = None, centres: tuple[str, ...] | None = None,
              districts: tuple[str, ...] | None = None, before_write: BeforeWrite | None = None) -> Account:
        """A new password (and, if given, role and scope); the account is enabled again."""
        new_hash = hash_password(password)

        def changed(account: Account) -> Account:
            updated = replace(
                account, password_hash=new_hash, disabled=False,
                role=_role(role) if role else account.role,
                centres=_codes(centres, CENTRE, "centre") if centres is not None else account.centres,
                districts=_codes(districts, DISTRICT, "district") if districts is not None else account.districts)
            _check_scope(updated)
            return updated

        return self._update(name, changed, before_write)

    def _update(self, name: str, how: Callable[[Account], Account], before_write: BeforeWrite | None) -> Account:
        name = normalise_name(name)

        def change(accounts: dict[str, Account]) -> Account:
            if name not in accounts:
                raise ReachError(f"There is no account '{name}' in {self.path} (see `reach users list`).")
            old = accounts[name]
            accounts[name] = replace(how(old), generation=old.generation + 1, changed=_now())
            return accounts[name]

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


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ReachError(f"'{role}' is not a role; the roles are {', '.join(r.value for r in Role)}.") from None


def _codes(values: tuple[str, ...] | None, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(v.strip().upper() for v in values or () if v.strip()))
    wrong = [c for c in codes if not pattern.fullmatch(c)]
    if wrong:
        raise ReachError(f"Not a {what} code: {', '.join(wrong)}.")
    return codes


def _check_scope(account: Account) -> None:
    if account.role is Role.ADMIN and (account.centres or account.districts):
        raise ReachError("An admin sees every centre: give no --centre or --district.")
    if account.role in (Role.ANALYST, Role.COORDINATOR, Role.BOARD) and not account.centres:
        raise ReachError(f"A {account.role} account needs at least one --centre.")
    if account.districts and account.role is not Role.COORDINATOR:
        raise ReachError("Only a coordinator's scope can be narrowed to districts (--district).")


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
