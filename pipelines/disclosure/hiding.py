"""Audited suppression: `<5` for counts of 1-4, then complementary `x` until the LP audit passes.

Deterministic and greedy. While the audit (lp_audit) finds a cell it narrows too far, take the
first such cell; the candidates are the shown nonzero cells that share a relation with its
component and that the caller allows to hide (`costs`). Of the candidates in the cheapest cost
class, the one that leaves the fewest failing cells in its component is hidden, ties broken by
the smaller value (hiding small figures loses least), then by table order. Repeat. If no
candidate is left, the tables are returned as they are: the audit, run again by the writer,
then refuses them and names the cells.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipelines.disclosure.lp_audit import (
    SMALL_HIGH,
    Status,
    TableSet,
    check_consistency,
    component_findings,
    components,
    guarded_components,
)


def primary(tables: TableSet) -> TableSet:
    """Shown counts of 1..4 become `<5`."""
    return tables.with_statuses({
        c.id: Status.SMALL for c in tables.cells
        if c.status is Status.SHOWN and c.value is not None and 1 <= c.value <= SMALL_HIGH
    })


class _Auditor:
    """Findings per component, remembered: a trial changes one component, the others are reused."""

    def __init__(self, base: TableSet) -> None:
        self.base = base
        self.cache: dict[tuple[tuple[str, Status], ...], int] = {}

    def failing(self, statuses: Mapping[str, Status], component: tuple[str, ...]) -> int:
        key = tuple((c, statuses[c]) for c in component)
        if key not in self.cache:
            tables = self.base.with_statuses(statuses)
            self.cache[key] = len(component_findings(tables, component))
        return self.cache[key]

    def first_failing(self, statuses: Mapping[str, Status]) -> tuple[str, ...] | None:
        tables = self.base.with_statuses(statuses)
        for component in guarded_components(tables):
            if self.failing(statuses, component):
                return component
        return None


def hide(tables: TableSet, costs: Mapping[str, int]) -> TableSet:
    """The tables with `<5` and complementary `x` chosen so that the audit passes (when it can).

    `costs`: the cells that may be hidden as complements, with a class (0 first). Cells not in
    it (figures the publication must show, or cells with no people) are never hidden.
    """
    check_consistency(tables)
    tables = primary(tables)
    order = {c.id: i for i, c in enumerate(tables.cells)}
    cells = tables.by_id()
    statuses = {c.id: c.status for c in tables.cells}
    auditor = _Auditor(tables)
    while (component := auditor.first_failing(statuses)) is not None:
        members = set(component)
        near = {c for r in tables.relations if members & set(r.cells) for c in r.cells}
        candidates = sorted(
            (c for c in near if statuses[c] is Status.SHOWN and (cells[c].value or 0) > 0 and c in costs),
            key=lambda c: (costs[c], cells[c].value, order[c]),
        )
        if not candidates:
            break
        cheapest = [c for c in candidates if costs[c] == costs[candidates[0]]]
        best: tuple[int, str] | None = None
        for candidate in cheapest:
            trial = {**statuses, candidate: Status.HIDDEN}
            merged = next(g for g in components(tables.with_statuses(trial)) if candidate in g)
            failing = auditor.failing(trial, merged)
            if best is None or failing < best[0]:
                best = (failing, candidate)
            if failing == 0:
                break
        assert best is not None
        statuses[best[1]] = Status.HIDDEN
    return tables.with_statuses(statuses)
