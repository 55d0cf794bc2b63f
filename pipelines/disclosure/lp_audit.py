"""The linear-programming attack on a set of published tables (disclosure.md, rule 2).

The tables are given as relations between cells: `Sum` (a total equals the sum of its parts,
e.g. a breakdown by a dimension where each person has exactly one value) and `AtMost` (a part
is a subset of a whole, e.g. an indicator with one more filter). A reader knows each cell as
its status says:

- SHOWN: its exact value;
- SMALL (`<5`): 1..4;
- HIDDEN (`x`): at least 5 (only cells of 5 or more are hidden as `x`; the rule is public);
- UNPUBLISHED: at least 0 (a group no table shows, e.g. target groups outside the workbook).

For every cell that is not shown, the attacker minimises and maximises its value over
non-negative integers subject to all relations (SciPy's `milp`, i.e. HiGHS). The rule a
cell's feasible range must meet (docs/decisions.md, "The workbook's LP audit"):

- SMALL: the whole published interval 1..4 stays possible (nothing beyond `<5` is learnt);
- HIDDEN: at least five values stay possible (max - min + 1 >= 5, or no upper bound);
- UNPUBLISHED with a true value of 1..4 (or an unknown value whose range meets 1..4): at least
  five values, or the whole of 1..4 (no more than a published `<5` would tell).

Cells linked only through shown cells are independent, so the attack runs per connected
component of the non-shown cells: small programs, and a hiding strategy can re-audit only the
component it changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

SMALL_HIGH = 4  # `<5` means 1..4
HIDDEN_LOW = 5
MIN_VALUES = 5  # "fewer than five possible values" is a failure


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "<5"
    HIDDEN = "x"
    UNPUBLISHED = "unpublished"


@dataclass(frozen=True)
class AuditCell:
    id: str
    value: int | None  # the exact value; None only for an unpublished cell nobody computed
    status: Status
    label: str = ""  # how a message names the cell (sheet and row); the id if empty

    @property
    def name(self) -> str:
        return self.label or self.id


@dataclass(frozen=True)
class Sum:
    """`total` = sum of `parts` (the parts partition the total's people)."""

    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class AtMost:
    """`part` <= `whole` (the part's people are some of the whole's)."""

    part: str
    whole: str

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.part, self.whole)


@dataclass(frozen=True)
class Covers:
    """`total` <= sum of `parts` (every person of the total is in a part, some in several: counts over
    centres whose people are linked by the linkage key count a person served by two centres once)."""

    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


Relation = Sum | AtMost | Covers


@dataclass(frozen=True)
class TableSet:
    cells: tuple[AuditCell, ...]
    relations: tuple[Relation, ...]

    def __post_init__(self) -> None:
        ids = [c.id for c in self.cells]
        if len(set(ids)) != len(ids):
            raise InconsistentTables("a cell id repeats: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
        known = set(ids)
        for relation in self.relations:
            missing = [c for c in relation.cells if c not in known]
            if missing:
                raise InconsistentTables(f"a relation names unknown cells: {', '.join(missing)}")

    def by_id(self) -> dict[str, AuditCell]:
        return {c.id: c for c in self.cells}

    def with_statuses(self, statuses: Mapping[str, Status]) -> TableSet:
        return replace(self, cells=tuple(replace(c, status=statuses.get(c.id, c.status)) for c in self.cells))


@dataclass(frozen=True)
class Range:
    low: int
    high: int | None  # None: no upper bound

    @property
    def values(self) -> float:
        return float("inf") if self.high is None else self.high - self.low + 1

    def __str__(self) -> str:
        return f"{self.low}..{'' if self.high is None else self.high}"


@dataclass(frozen=True)
class Finding:
    """A cell the attack narrows too far."""

    cell: AuditCell
    range: Range

    def __str__(self) -> str:
        return f"{self.cell.name} ({self.cell.status.value}) can be narrowed to {self.range}"


class InconsistentTables(ValueError):
    """The relations do not hold for the exact values: the tables were modelled wrongly."""


def known_bounds(cell: AuditCell, cap: int) -> tuple[int, int]:
    """What a reader of the tables knows about one cell on its own."""
    if cell.status is Status.SHOWN:
        assert cell.value is not None
        return cell.value, cell.value
    if cell.status is Status.SMALL:
        return 1, SMALL_HIGH
    if cell.status is Status.HIDDEN:
        return HIDDEN_LOW, cap
    return 0, cap


def is_safe(cell: AuditCell, found: Range) -> bool:
    whole_small = found.low <= 1 and (found.high is None or found.high >= SMALL_HIGH)
    if cell.status is Status.SMALL:
        return whole_small
    if cell.status is Status.HIDDEN:
        return found.values >= MIN_VALUES
    if cell.status is Status.UNPUBLISHED:
        if cell.value is None:
            meets_small = found.low <= SMALL_HIGH and (found.high is None or found.high >= 1)
            return not meets_small or whole_small or found.values >= MIN_VALUES
        if cell.value == 0 or cell.value > SMALL_HIGH:
            return True  # a zero or a count of 5 or more may be known exactly
        return whole_small or found.values >= MIN_VALUES
    return True


def check_consistency(tables: TableSet, scope: set[str] | None = None) -> None:
    """Each cell's exact value fits its status, and every relation holds where all values are known.

    With a `scope` (the cells the attack's programs are about), only those cells and the
    relations that name one of them are checked: a sum of shown cells that does not add up is an
    error in the figures, not a disclosure, and the writer's audit is about disclosure.
    """
    cells = tables.by_id()
    for cell in tables.cells:
        if scope is not None and cell.id not in scope:
            continue
        if cell.status is not Status.UNPUBLISHED and cell.value is None:
            raise InconsistentTables(f"{cell.name} has no exact value")
        if cell.value is None:
            continue
        if cell.value < 0 or (cell.status is Status.SMALL and not 1 <= cell.value <= SMALL_HIGH) or (
                cell.status is Status.HIDDEN and cell.value < HIDDEN_LOW):
            raise InconsistentTables(f"{cell.name} is {cell.value}, which its status {cell.status.value} rules out")
    for relation in tables.relations:
        values = [cells[c].value for c in relation.cells]
        if any(v is None for v in values):
            continue
        if scope is not None and not scope.intersection(relation.cells):
            continue
        if isinstance(relation, Sum) and values[0] != sum(values[1:]):  # type: ignore[arg-type]
            raise InconsistentTables(
                f"{cells[relation.total].name} is {values[0]}, but its parts "
                f"({', '.join(cells[p].name for p in relation.parts)}) add up to {sum(values[1:])}"  # type: ignore[arg-type]
            )
        if isinstance(relation, Covers) and values[0] > sum(values[1:]):  # type: ignore[arg-type,operator]
            raise InconsistentTables(
                f"{cells[relation.total].name} is {values[0]}, more than its parts "
                f"({', '.join(cells[p].name for p in relation.parts)}) together, {sum(values[1:])}"  # type: ignore[arg-type]
            )
        if isinstance(relation, AtMost) and values[0] > values[1]:  # type: ignore[operator]
            raise InconsistentTables(
                f"{cells[relation.part].name} ({values[0]}) exceeds {cells[relation.whole].name} ({values[1]})"
            )


def _cap(tables: TableSet) -> int:
    # No cell exceeds the sum of all known values; a maximum at the cap means "no upper bound".
    return 4 * sum(c.value or 0 for c in tables.cells) + 100


def components(tables: TableSet) -> list[tuple[str, ...]]:
    """Groups of non-shown cells linked by relations (shown cells are constants and link nothing)."""
    cells = tables.by_id()
    parent = {c.id: c.id for c in tables.cells if c.status is not Status.SHOWN}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for relation in tables.relations:
        free = [c for c in relation.cells if cells[c].status is not Status.SHOWN]
        for other in free[1:]:
            a, b = root(free[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    order = {c.id: i for i, c in enumerate(tables.cells)}
    groups: dict[str, list[str]] = {}
    for cell_id in parent:
        groups.setdefault(root(cell_id), []).append(cell_id)
    return sorted((tuple(sorted(g, key=order.__getitem__)) for g in groups.values()),
                  key=lambda g: order[g[0]])


def _program(tables: TableSet, component: Sequence[str], cap: int) -> tuple[Bounds, list[LinearConstraint]]:
    cells = tables.by_id()
    index = {c: i for i, c in enumerate(component)}
    rows: list[np.ndarray] = []
    lows: list[float] = []
    highs: list[float] = []
    for relation in tables.relations:
        if not any(c in index for c in relation.cells):
            continue
        row = np.zeros(len(component))
        constant = 0.0
        # Sum: total - parts = 0; Covers: total - parts <= 0; AtMost: part - whole <= 0. Shown cells move
        # to the right side.
        signs = [1.0] + [-1.0] * (len(relation.cells) - 1)
        for cell_id, sign in zip(relation.cells, signs, strict=True):
            if cell_id in index:
                row[index[cell_id]] += sign
            else:
                constant -= sign * (cells[cell_id].value or 0)
        rows.append(row)
        lows.append(constant if isinstance(relation, Sum) else -np.inf)
        highs.append(constant)
    bounds = [known_bounds(cells[c], cap) for c in component]
    constraints = [LinearConstraint(np.array(rows), np.array(lows), np.array(highs))] if rows else []
    return Bounds([b[0] for b in bounds], [b[1] for b in bounds]), constraints


def component_ranges(tables: TableSet, component: Sequence[str]) -> dict[str, Range]:
    """The attacker's range of each cell of one component (minimise and maximise each)."""
    cap = _cap(tables)
    bounds, constraints = _program(tables, component, cap)
    integrality = np.ones(len(component))
    ranges: dict[str, Range] = {}
    for i, cell_id in enumerate(component):
        found = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(component))
            objective[i] = sign
            result = milp(objective, integrality=integrality, bounds=bounds, constraints=constraints)
            if result.status == 2:
                raise InconsistentTables(
                    f"no values fit the tables around {tables.by_id()[cell_id].name}: the relations are wrong"
                )
            if result.status != 0:
                raise RuntimeError(f"the solver stopped without an answer ({result.message})")
            found.append(round(sign * result.fun))
        ranges[cell_id] = Range(found[0], None if found[1] >= cap else found[1])
    return ranges


def component_findings(tables: TableSet, component: Sequence[str]) -> list[Finding]:
    cells = tables.by_id()
    ranges = component_ranges(tables, component)
    return [Finding(cells[c], r) for c, r in ranges.items() if not is_safe(cells[c], r)]


def _guards(cell: AuditCell) -> bool:
    """Whether the rule has something to protect in this cell."""
    if cell.status is Status.UNPUBLISHED:
        return cell.value is None or 1 <= cell.value <= SMALL_HIGH
    return cell.status is not Status.SHOWN


def guarded_components(tables: TableSet) -> list[tuple[str, ...]]:
    """The components with a hidden cell, or an unpublished one of 1..4 people (the rest need no attack)."""
    cells = tables.by_id()
    return [g for g in components(tables) if any(_guards(cells[c]) for c in g)]


def ranges(tables: TableSet) -> dict[str, Range]:
    """The feasible range under the attack of every cell of the guarded components."""
    groups = guarded_components(tables)
    check_consistency(tables, {c for g in groups for c in g})
    found: dict[str, Range] = {}
    for component in groups:
        found.update(component_ranges(tables, component))
    return found


def audit(tables: TableSet) -> list[Finding]:
    """The cells the attack narrows too far, in the order of `tables.cells`; empty when the tables are safe."""
    groups = guarded_components(tables)
    check_consistency(tables, {c for g in groups for c in g})
    order = {c.id: i for i, c in enumerate(tables.cells)}
    findings = [f for component in groups for f in component_findings(tables, component)]
    return sorted(findings, key=lambda f: order[f.cell.id])


def describe(findings: Iterable[Finding], limit: int = 8) -> str:
    """The findings as one sentence part: `a (x) can be narrowed to 178..181; ...`."""
    items = [str(f) for f in findings]
    more = len(items) - limit
    return "; ".join(items[:limit]) + (f"; and {more} more" if more > 0 else "")
