"""What an account may be (access.md, "Roles" and "Scope"): one set of rules for `reach users` and the admin page.

A name of lower-case letters and digits, one of the roles, and a scope of the reference's centres
(seeds/ref_centres.csv) and districts (pipelines/reference/districts.py) that fits the role. Every
problem is reported at once, each with the field it belongs to and a `kind` the dashboard words
in the UI's language; the message is the command line's (English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.access.model import Account, Role
from pipelines.errors import ReachError
from pipelines.reference.centres import centres as reference_centres
from pipelines.reference.districts import districts as reference_districts

NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
FIELDS = ("name", "role", "centres", "districts", "account")  # `account`: the account as a whole (a row's action)


@dataclass(frozen=True)
class AccountProblem:
    field: str  # one of FIELDS
    kind: str  # e.g. centre_unknown; the dashboard's texts are keyed by it
    message: str  # English, as `reach users` prints it
    codes: tuple[str, ...] = ()  # the offending values, for the dashboard's wording


class AccountError(ReachError):
    """An account change that the rules refuse; `problems` names each field's problem."""

    def __init__(self, problems: list[AccountProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(p.message for p in problems))


def normalise_name(name: str) -> str:
    return name.strip().lower()


def codes(values: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Upper-case, without blanks and repeats, in the order given."""
    return tuple(dict.fromkeys(str(v).strip().upper() for v in values or () if str(v).strip()))


def name_problems(name: str) -> list[AccountProblem]:
    if NAME.fullmatch(name):
        return []
    return [AccountProblem("name", "name_invalid", f"'{name}' is not a valid account name: use 1–64 lower-case "
                           "letters, digits and . _ @ -, starting with a letter or digit.")]


def role_of(role: str | Role | None) -> Role | None:
    try:
        return Role(role) if role else None
    except ValueError:
        return None


def scope_problems(role: Role | None, centres: tuple[str, ...], districts: tuple[str, ...]) -> list[AccountProblem]:
    """The scope against the reference and the role: known centres, districts of those centres' regions."""
    problems: list[AccountProblem] = []
    regions = {c.code: c.region_code for c in reference_centres()}
    unknown = tuple(c for c in centres if c not in regions)
    if unknown:
        problems.append(AccountProblem("centres", "centre_unknown", f"Unknown centre code(s): {', '.join(unknown)} "
                                       f"(the centres are {', '.join(regions)}).", unknown))
    district_regions = {d.code: d.region_code for d in reference_districts()}
    strange = tuple(d for d in districts if d not in district_regions)
    if strange:
        problems.append(AccountProblem("districts", "district_unknown",
                                       f"Unknown district code(s): {', '.join(strange)}.", strange))
    served = {regions[c] for c in centres if c in regions}
    outside = tuple(d for d in districts if d in district_regions and district_regions[d] not in served)
    if outside and centres and not unknown:
        problems.append(AccountProblem("districts", "district_outside", f"District(s) {', '.join(outside)} lie "
                                       "outside the regions of the account's centres.", outside))
    if role is Role.ADMIN and (centres or districts):
        problems.append(AccountProblem("centres" if centres else "districts", "admin_everything",
                                       "An admin sees every centre: give no centre or district."))
    if role in (Role.ANALYST, Role.COORDINATOR, Role.BOARD) and not centres:
        problems.append(AccountProblem("centres", "centre_needed",
                                       f"A {role.value} account needs at least one centre (--centre)."))
    if districts and role not in (Role.COORDINATOR, Role.ADMIN, None):
        problems.append(AccountProblem("districts", "districts_coordinator",
                                       "Only a coordinator's scope can be narrowed to districts (--district)."))
    return problems


def checked_account(name: str, role: str | Role | None, centres: tuple[str, ...] | list[str] | None,
                    districts: tuple[str, ...] | list[str] | None, *, password_hash: str = "",
                    base: Account | None = None) -> Account:
    """The account these fields describe, or an AccountError naming every problem.

    `base`: the account being changed (its state, generation and dates are kept).
    """
    name = normalise_name(name)
    wanted_centres, wanted_districts = codes(centres), codes(districts)
    problems = name_problems(name)
    chosen = role_of(role)
    if chosen is None:
        problems.append(AccountProblem("role", "role_unknown", f"'{role or ''}' is not a role; the roles are "
                                       f"{', '.join(r.value for r in Role)}."))
    problems += scope_problems(chosen, wanted_centres, wanted_districts)
    if problems:
        raise AccountError(problems)
    fields = {"name": name, "role": chosen, "centres": wanted_centres, "districts": wanted_districts}
    if base is None:
        return Account(**fields, password_hash=password_hash)
    return Account(**fields, password_hash=password_hash or base.password_hash, disabled=base.disabled,
                   generation=base.generation, created=base.created, changed=base.changed)
