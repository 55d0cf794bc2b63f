"""The ministry workbook's people counts as linear relations, their hiding and their audit.

Every people count of the workbook (indicators, figures reported separately, breakdown rows,
the targets sheet's actuals) is a query: a unique-people metric with filters. Two kinds of
relation between such counts truly hold, and only these are given to the attack:

- Partitions. A dimension where each person has exactly one value (`partitions_clients` in
  pipelines/metrics/definitions.py: sex, age band, nationality, target group, district, ...)
  splits a count into disjoint parts. Counts of one metric whose filters differ only in such a
  dimension are sums of "atoms" (the classes of that dimension's values they select): actual
  clients reached (no filter) = the three participant groups + majority society + EU citizens
  + the rest (target groups the workbook does not show, an unpublished cell); O.2.3 = its
  three target-group rows. A breakdown sheet lists every value with people, so the values it
  does not list are published zeros.
- Subsets. A count whose filters imply another's (same metric, each filter of the other one
  narrowed) is at most that count: O.2.3.3 <= O.2.3 (only direct ones; the rest follow).

- Centres. With a sheet per centre, a centre's count is the total sheet's count narrowed to that
  centre, and every centre with people has a sheet. Where the total sheet sums the centres' unique
  clients, `centre` partitions them and the total is exactly the sum of the centres: a hidden centre
  cell cannot be recovered as the total minus the other centres unless the audit says so.
- Linked centres. Where the total sheet counts each person once (every centre delivers the linkage
  key, pipelines/metrics/linkage.py), a person served by two centres is in both centres' counts and
  once in the total, and may have different districts or target groups in the two records: the
  total sheet's partitions then give only "total <= sum of the parts" and "each part <= total"
  (`Covers`, `AtMost`). Nationality and age band stay exact partitions: the linkage key is made of
  the name, birth date and nationality (pipelines/pseudonymise/linkage.py), so one person has one
  value of each.

Counts of different metrics (course participants and clients reached, say) are not linked:
no equation or inequality between them holds for every warehouse. Record counts and sums
(contacts, hours, event attendance) are not people counts and are shown exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from pipelines.disclosure.hiding import hide
from pipelines.disclosure.lp_audit import (
    AtMost,
    AuditCell,
    Covers,
    InconsistentTables,
    Relation,
    Status,
    Sum,
    TableSet,
    audit,
    describe,
)
from pipelines.errors import ReachError
from pipelines.metrics import DIMENSIONS, UNIQUE_PEOPLE_METRICS
from reports.cells import Cell, is_number
from reports.ministry_model import IndicatorValue, MinistryData, exact_figure

PARTITIONING = tuple(d.name for d in DIMENSIONS if d.partitions_clients)
# Which published counts a complement may hide, cheapest first: breakdown rows and the targets
# sheet's actuals, then the indicators, the breakdowns' total (O.2.3, the headline) last.
COST_SUPPORTING, COST_INDICATOR, COST_HEADLINE = 0, 1, 2

Where = dict[str, frozenset[str]]
# How messages name the sheets when the writer does not give its sheet names.
SHEETS = {"indicators": "indicators", "targets": "project targets"}


@dataclass(frozen=True)
class _Count:
    id: str
    label: str
    metric: str
    where: Where
    value: int | None
    status: Status
    cost: int
    complete: tuple[str, str] | None = None  # (total's id, dimension): a row of a complete breakdown


def _status(cell: Cell) -> Status:
    if is_number(cell):
        return Status.SHOWN
    if cell == "<5":
        return Status.SMALL
    if cell == "x":
        return Status.HIDDEN
    raise ReachError(f"The ministry workbook holds the cell '{cell}', which is neither a number, '<5' nor 'x'.")


def _exact(label: str, value: Cell, exact: int | float | None) -> int:
    figure = exact_figure(value, exact)
    if figure is None:
        raise ReachError(f"The ministry workbook was not written: {label} is hidden and its exact figure is "
                         "missing, so the disclosure audit cannot check it.")
    if float(figure) != int(figure):
        raise ReachError(f"The ministry workbook was not written: {label} is a people count but {figure} "
                         "is not a whole number.")
    return int(figure)


def _counts(data: MinistryData, sheets: Mapping[str, str]) -> list[_Count]:
    counts: list[_Count] = []
    main = data.framework.breakdown_indicator
    sheet = sheets.get("indicators", SHEETS["indicators"])
    for item in (*data.indicators, *data.separate):
        ind = item.indicator
        if ind.metric not in UNIQUE_PEOPLE_METRICS:
            continue
        label = f"{ind.code} (sheet {sheet})"
        counts.append(_Count(
            f"indicator:{ind.code}", label, ind.metric, {d: frozenset(v) for d, v in ind.where.items()},
            _exact(label, item.value, item.exact), _status(item.value),
            COST_HEADLINE if ind.code == main else COST_INDICATOR,
        ))
    for sheet_data in data.centres:
        # A centre's indicator: the national one's filters and that centre. `centre` partitions the
        # people (a client key belongs to one centre), and every centre with people has a sheet, so
        # the total sheet's count is the sum of the centre sheets' counts (complete, as a breakdown).
        sheet = sheets.get(f"centre:{sheet_data.code}", f"centre {sheet_data.code}")
        for item in (*sheet_data.indicators, *sheet_data.separate):
            ind = item.indicator
            if ind.metric not in UNIQUE_PEOPLE_METRICS:
                continue
            where = {d: frozenset(v) for d, v in ind.where.items()}
            where["centre"] = where.get("centre", frozenset({sheet_data.code})) & {sheet_data.code}
            label = f"{ind.code} (sheet {sheet})"
            counts.append(_Count(
                centre_cell(sheet_data.code, ind.code), label, ind.metric, where,
                _exact(label, item.value, item.exact), _status(item.value), COST_INDICATOR,
                complete=(f"indicator:{ind.code}", "centre"),
            ))
    for part in data.breakdowns:
        ind = part.indicator
        if ind.metric not in UNIQUE_PEOPLE_METRICS:
            continue
        sheet = sheets.get(part.dimension, f"by {part.dimension}")
        for row in part.rows:
            where = {d: frozenset(v) for d, v in ind.where.items()}
            # A row's people: the indicator's filters and this value (within the indicator's own filter).
            where[part.dimension] = where.get(part.dimension, frozenset({row.code})) & {row.code}
            label = f"{row.code} (sheet {sheet})"
            counts.append(_Count(
                f"{part.dimension}:{row.code}", label, ind.metric, where,
                _exact(label, row.value, row.exact), _status(row.value), COST_SUPPORTING,
                complete=(f"indicator:{ind.code}", part.dimension),
            ))
    sheet = sheets.get("targets", SHEETS["targets"])
    for target in data.target_rows:
        if target.metric not in UNIQUE_PEOPLE_METRICS:
            continue
        label = f"{target.metric} (sheet {sheet})"
        counts.append(_Count(f"target:{target.metric}", label, target.metric, {},
                             _exact(label, target.actual, target.exact), _status(target.actual), COST_SUPPORTING))
    return counts


def centre_cell(centre: str, code: str) -> str:
    """The audit's id of indicator `code` on the sheet of `centre`."""
    return f"centre:{centre}:indicator:{code}"


def _without(where: Where, dimension: str) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(sorted((d, v) for d, v in where.items() if d != dimension))


# Dimensions a person has one value of across centres (functions of the linkage key's identity).
ONE_VALUE_PER_PERSON = ("nationality", "age_band")


def _partitions(counts: list[_Count], linked: bool = False) -> tuple[list[AuditCell], list[Relation]]:
    """Unpublished atoms and the Sum relations of every partitioning dimension; `linked`: the total
    sheet counts each person once across centres, and its partitions cover rather than partition."""
    atoms: list[AuditCell] = []
    relations: list[Relation] = []
    for dimension in PARTITIONING:
        groups: dict[tuple[object, ...], list[_Count]] = {}
        for count in counts:
            groups.setdefault((count.metric, _without(count.where, dimension)), []).append(count)
        for (metric, others), group in groups.items():
            if len(group) > 1:
                found, sums = _group_relations(metric, others, dimension, group)
                atoms += found
                across = dimension == "centre" or (dimension not in ONE_VALUE_PER_PERSON
                                                   and all("centre" not in c.where for c in group))
                relations += _covering(sums) if linked and across else sums
    return atoms, relations


def _covering(sums: list[Relation]) -> list[Relation]:
    """Each `total = parts` as `total <= parts` and `part <= total` (people counted once across centres)."""
    relations: list[Relation] = []
    for relation in sums:
        assert isinstance(relation, Sum)
        relations.append(Covers(relation.total, relation.parts))
        relations += [AtMost(part, relation.total) for part in relation.parts]
    return relations


def _group_relations(metric: str, others: tuple[tuple[str, frozenset[str]], ...], dimension: str,
                     group: list[_Count]) -> tuple[list[AuditCell], list[Relation]]:
    sets = {c.id: c.where.get(dimension) for c in group}  # None: no filter on the dimension (all values)
    finite = [c for c in group if sets[c.id] is not None]
    universe = sorted(set().union(*(sets[c.id] for c in finite)))  # type: ignore[arg-type]
    classes: dict[frozenset[str], set[str]] = {}
    for value in universe:
        classes.setdefault(frozenset(c.id for c in finite if value in sets[c.id]), set()).add(value)  # type: ignore[operator]
    atom_sets: list[frozenset[str] | None] = [frozenset(v) for v in classes.values()]
    if any(s is None for s in sets.values()):
        atom_sets.append(None)  # the rest: values no count of the group names
    # Values a complete breakdown of a count does not list are published zeros.
    zero_inside = [sets[total] for c in group if c.complete and c.complete[1] == dimension
                   for total in [c.complete[0]] if total in sets]
    atoms: list[AuditCell] = []
    atom_ids: list[str | None] = []
    filters = "; ".join(f"{d}={','.join(sorted(v))}" for d, v in others)
    for atom in atom_sets:
        same = next((c.id for c in group if sets[c.id] == atom and atom is not None), None)
        if same is not None:
            atom_ids.append(same)
        elif any(inside is None or (atom is not None and atom <= inside) for inside in zero_inside):
            atom_ids.append(None)  # a known zero adds nothing
        else:
            what = (f"{dimension} in {','.join(sorted(atom))}" if atom is not None
                    else f"{dimension} not in {','.join(universe)}")
            cell_id = f"unpublished:{metric}|{filters}|{what}"
            atoms.append(AuditCell(cell_id, None, Status.UNPUBLISHED, f"{metric} with {what} (not published)"))
            atom_ids.append(cell_id)
    relations: list[Relation] = []
    for count in group:
        chosen = sets[count.id]
        parts = tuple(a for a, s in zip(atom_ids, atom_sets, strict=True)
                      if a is not None and a != count.id and (chosen is None or (s is not None and s <= chosen)))
        if parts or count.id not in atom_ids:
            relations.append(Sum(count.id, parts))
    return atoms, relations


def _implies(narrow: Where, wide: Where) -> bool:
    return all(d in narrow and narrow[d] <= values for d, values in wide.items())


def _subsets(counts: list[_Count]) -> Iterator[AtMost]:
    """part <= whole for counts of one metric whose filters nest, direct ones only."""
    for part in counts:
        wider = [w for w in counts if w.metric == part.metric and w.where != part.where
                 and _implies(part.where, w.where)]
        for whole in wider:
            between = any(_implies(m.where, whole.where) and m.where != whole.where for m in wider if m is not whole)
            if not between:
                yield AtMost(part.id, whole.id)


def _fill_unknown(cells: list[AuditCell], relations: list[Relation]) -> list[AuditCell]:
    """Exact values of the unpublished atoms, from the sums they close (we know every other value)."""
    values = {c.id: c.value for c in cells}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if not isinstance(relation, Sum):
                continue
            unknown = [p for p in relation.parts if values[p] is None]
            if len(unknown) == 1 and values[relation.total] is not None:
                values[unknown[0]] = values[relation.total] - sum(values[p] or 0 for p in relation.parts)  # type: ignore[operator]
                changed = True
    return [replace(c, value=values[c.id]) for c in cells]


def workbook_tables(data: MinistryData, sheets: Mapping[str, str] = SHEETS) -> tuple[TableSet, dict[str, int]]:
    """The workbook's people counts as a table set, and the cost class of each count.

    Cell ids: `indicator:<code>`, `centre:<centre>:indicator:<code>` (a centre's sheet), `<dimension>:<code>`
    (breakdown rows), `target:<metric>`.
    """
    counts = _counts(data, sheets)
    atoms, sums = _partitions(counts, linked=data.people_linked)
    in_sums = {(p, r.total) for r in sums if isinstance(r, Sum) for p in r.parts}
    subsets = [r for r in _subsets(counts) if (r.part, r.whole) not in in_sums]  # a part of a sum is below it
    relations = list(dict.fromkeys([*sums, *subsets]))
    cells = [AuditCell(c.id, c.value, c.status, c.label) for c in counts] + atoms
    try:
        tables = TableSet(tuple(_fill_unknown(cells, relations)), tuple(relations))
    except InconsistentTables as error:
        raise _inconsistent(error) from None
    return tables, {c.id: c.cost for c in counts}


def _inconsistent(error: InconsistentTables) -> ReachError:
    return ReachError(f"The ministry workbook was not written: its people counts do not fit together ({error}); "
                      "this is a fault in the workbook's figures, please report it.")


def protect(data: MinistryData) -> MinistryData:
    """Exact figures in, published cells out: `<5` for 1..4, then complementary `x` until the audit passes."""
    tables, costs = workbook_tables(data)
    try:
        hidden = {c.id: c.status for c in hide(tables, costs).cells}
    except InconsistentTables as error:
        raise _inconsistent(error) from None

    def published(cell_id: str, value: Cell) -> tuple[Cell, int | float | None]:
        status = hidden.get(cell_id)
        if status is None or status is Status.SHOWN:
            return value, None
        return status.value, value  # type: ignore[return-value]

    def indicator(item: IndicatorValue) -> IndicatorValue:
        cell, exact = published(f"indicator:{item.indicator.code}", item.value)
        return replace(item, value=cell, exact=exact)

    breakdowns = tuple(
        replace(part, rows=tuple(
            replace(row, value=cell, exact=exact)
            for row in part.rows for cell, exact in [published(f"{part.dimension}:{row.code}", row.value)]
        ))
        for part in data.breakdowns
    )
    centres = tuple(
        replace(sheet, **{field: tuple(
            replace(item, value=cell, exact=exact)
            for item in getattr(sheet, field)
            for cell, exact in [published(centre_cell(sheet.code, item.indicator.code), item.value)]
        ) for field in ("indicators", "separate")})
        for sheet in data.centres
    )
    target_rows = tuple(
        replace(row, actual=cell, exact=exact)
        for row in data.target_rows for cell, exact in [published(f"target:{row.metric}", row.actual)]
    )
    return replace(data, indicators=tuple(indicator(i) for i in data.indicators),
                   separate=tuple(indicator(i) for i in data.separate),
                   breakdowns=breakdowns, target_rows=target_rows, centres=centres)


def audit_workbook(data: MinistryData, sheets: Mapping[str, str] = SHEETS) -> None:
    """The LP attack on the workbook as it would be written; a ReachError naming the cells if it succeeds."""
    tables, _ = workbook_tables(data, sheets)
    shown_small = [c.name for c in tables.cells if c.status is Status.SHOWN and c.value is not None
                   and 1 <= c.value <= 4]
    if shown_small:
        raise ReachError("The ministry workbook was not written: it would show counts of 1 to 4 people as "
                         f"numbers: {', '.join(shown_small)}.")
    try:
        findings = audit(tables)
    except InconsistentTables as error:
        raise _inconsistent(error) from None
    if findings:
        raise ReachError(
            "The ministry workbook was not written: its disclosure audit (a linear program over all its sheets) "
            f"narrows hidden cells to fewer than five possible values: {describe(findings)}."
        )
