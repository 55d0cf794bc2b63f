"""Roles, scopes and accounts as data (access.md, "Roles" and "Scope")."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    COORDINATOR = "coordinator"
    BOARD = "board"
    MINISTRY = "ministry"

    @property
    def may_switch_protection(self) -> bool:
        """Only admin and analyst may see exact small counts (on their own screen, audited)."""
        return self in (Role.ADMIN, Role.ANALYST)

    @property
    def may_manage_users(self) -> bool:
        return self is Role.ADMIN

    @property
    def may_export_charts(self) -> bool:
        return self in (Role.ADMIN, Role.ANALYST, Role.COORDINATOR)

    @property
    def reports(self) -> frozenset[str]:
        """The report kinds (`board`, `ministry`) this role may download."""
        return _REPORTS[self]

    @property
    def sees_every_centre(self) -> bool:
        """Admin sees everything; a ministry account without centres sees all centres."""
        return self is Role.ADMIN


_REPORTS = {
    Role.ADMIN: frozenset({"board", "ministry"}),
    Role.ANALYST: frozenset({"board", "ministry"}),
    Role.COORDINATOR: frozenset({"board", "ministry"}),
    Role.BOARD: frozenset({"board"}),
    Role.MINISTRY: frozenset({"ministry"}),
}


@dataclass(frozen=True)
class Scope:
    """A set of centres and, optionally, districts; `everything` for admin and a national ministry account.

    Empty `districts` means every district of the centres. A filter can only narrow a scope.
    """

    centres: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    everything: bool = False

    def describe(self) -> str:
        """One line for the audit log and the admin page: `all centres` or `JHM; districts CZ0642`."""
        if self.everything:
            return "all centres"
        text = ", ".join(sorted(self.centres)) or "no centre"
        return text + (f"; districts {', '.join(sorted(self.districts))}" if self.districts else "")


# Whoever runs `reach` on the server (the CLI, the reports it writes, the operator's tools): file
# access is administrator access (access.md), so these callers say so explicitly.
EVERYTHING = Scope(everything=True)


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    centres: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    password_hash: str = field(default="", repr=False)
    disabled: bool = False
    # Raised by every reset, disable and change: sessions signed in under an older generation end.
    generation: int = 1
    created: str = ""
    changed: str = ""

    @property
    def scope(self) -> Scope:
        everything = self.role.sees_every_centre or (self.role is Role.MINISTRY and not self.centres)
        return Scope(frozenset(self.centres), frozenset(self.districts), everything=everything)
