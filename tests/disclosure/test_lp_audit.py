"""The LP audit and the hiding on small tables worked out by hand (pipelines/disclosure)."""

from __future__ import annotations

import pytest

from pipelines.disclosure.hiding import hide
from pipelines.disclosure.lp_audit import (
    AtMost,
    AuditCell,
    Covers,
    InconsistentTables,
    Range,
    Status,
    Sum,
    TableSet,
    audit,
    ranges,
)

SHOWN, SMALL, HIDDEN, UNPUBLISHED = Status.SHOWN, Status.SMALL, Status.HIDDEN, Status.UNPUBLISHED


def _tables(cells: list[tuple[str, int | None, Status]], *relations: Sum | AtMost | Covers) -> TableSet:
    return TableSet(tuple(AuditCell(i, v, s) for i, v, s in cells), relations)


def _sex(male: Status, female: Status = SHOWN) -> TableSet:
    # 412 participants: 230 women, 178 men, 4 other.
    return _tables([("total", 412, SHOWN), ("female", 230, female), ("male", 178, male), ("other", 4, SMALL)],
                   Sum("total", ("female", "male", "other")))


def test_a_lone_small_cell_is_given_away_by_the_total() -> None:
    # other = 412 - 230 - 178 = 4.
    found = audit(_sex(male=SHOWN))
    assert [(f.cell.id, f.range) for f in found] == [("other", Range(4, 4))]


def test_one_complement_beside_one_small_cell_spans_only_four_values() -> None:
    # male = 412 - 230 - other, other in 1..4, so male in 178..181: four values.
    found = audit(_sex(male=HIDDEN))
    assert [(f.cell.id, f.range) for f in found] == [("male", Range(178, 181))]
    assert ranges(_sex(male=HIDDEN))["other"] == Range(1, 4)


def test_two_complements_leave_every_hidden_cell_wide() -> None:
    # female + male = 412 - other, each at least 5: 5..406 (412 - 1 - 5); other keeps 1..4.
    tables = _sex(male=HIDDEN, female=HIDDEN)
    assert audit(tables) == []
    assert ranges(tables) == {"female": Range(5, 406), "male": Range(5, 406), "other": Range(1, 4)}


def test_two_small_cells_of_four_pin_each_other() -> None:
    # 20 = 12 + b + c, so b + c = 8 and both are 4.
    tables = _tables([("t", 20, SHOWN), ("a", 12, SHOWN), ("b", 4, SMALL), ("c", 4, SMALL)], Sum("t", ("a", "b", "c")))
    assert {f.cell.id: f.range for f in audit(tables)} == {"b": Range(4, 4), "c": Range(4, 4)}


def test_two_small_cells_with_a_small_sum_are_narrowed() -> None:
    # b + c = 3 with both at least 1: each is 1 or 2, less than `<5` says.
    tables = _tables([("t", 10, SHOWN), ("a", 7, SHOWN), ("b", 1, SMALL), ("c", 2, SMALL)], Sum("t", ("a", "b", "c")))
    assert {f.cell.id: f.range for f in audit(tables)} == {"b": Range(1, 2), "c": Range(1, 2)}


def test_two_small_cells_and_a_complement_pass() -> None:
    # a + b + c = 30, a >= 5, b and c in 1..4: a in 22..28 (seven values), b and c keep 1..4.
    tables = _tables([("t", 30, SHOWN), ("a", 25, HIDDEN), ("b", 3, SMALL), ("c", 2, SMALL)], Sum("t", ("a", "b", "c")))
    assert audit(tables) == []
    assert ranges(tables) == {"a": Range(22, 28), "b": Range(1, 4), "c": Range(1, 4)}


def test_tables_linked_through_a_shared_total() -> None:
    # The attack: clients reached (500) - O.2.3 (480) - majority society (18) = EUC + rest = 2.
    # With the rest (target groups the workbook does not show) at least 0, EUC is 1 or 2.
    cells = [("all", 500, SHOWN), ("o23", 480, SHOWN), ("maj", 18, SHOWN), ("euc", 2, SMALL), ("rest", 0, UNPUBLISHED),
             ("tcn", 300, SHOWN), ("ua", 180, SHOWN)]
    relations = (Sum("all", ("o23", "maj", "euc", "rest")), Sum("o23", ("tcn", "ua")))
    assert [(f.cell.id, f.range) for f in audit(_tables(cells, *relations))] == [("euc", Range(1, 2))]
    # Hiding the total of all clients as well: EUC keeps 1..4, the total has no upper bound.
    safe = _tables([("all", 500, HIDDEN), *cells[1:]], *relations)
    assert audit(safe) == []
    assert ranges(safe)["all"] == Range(499, None) and ranges(safe)["euc"] == Range(1, 4)


def test_an_unpublished_small_group_must_not_be_derivable() -> None:
    # rest = 500 - 480 - 18 = 2 people nobody published: derivable exactly, a failure.
    cells = [("all", 500, SHOWN), ("o23", 480, SHOWN), ("maj", 18, SHOWN), ("rest", 2, UNPUBLISHED)]
    found = audit(_tables(cells, Sum("all", ("o23", "maj", "rest"))))
    assert [(f.cell.id, f.range) for f in found] == [("rest", Range(2, 2))]
    # An unpublished zero, or an unpublished group of 5 or more, may be known exactly.
    for value in (0, 7):
        cells = [("all", 498 + value, SHOWN), ("o23", 480, SHOWN), ("maj", 18, SHOWN), ("rest", value, UNPUBLISHED)]
        assert audit(_tables(cells, Sum("all", ("o23", "maj", "rest")))) == []


def test_subsets_bound_a_hidden_part() -> None:
    # An `x` part of a whole of 7 is 5..7: three values. A `<5` part of a whole of 6 keeps 1..4.
    tables = _tables([("whole", 7, SHOWN), ("part", 6, HIDDEN), ("whole2", 6, SHOWN), ("part2", 3, SMALL)],
                     AtMost("part", "whole"), AtMost("part2", "whole2"))
    assert [(f.cell.id, f.range) for f in audit(tables)] == [("part", Range(5, 7))]


def test_a_hidden_cell_in_no_relation_is_unbounded() -> None:
    tables = _tables([("alone", 9, HIDDEN), ("small", 2, SMALL)])
    assert ranges(tables) == {"alone": Range(5, None), "small": Range(1, 4)}
    assert audit(tables) == []


def test_relations_that_do_not_hold_are_refused() -> None:
    with pytest.raises(InconsistentTables, match="add up to"):
        audit(_tables([("t", 10, SHOWN), ("a", 3, SMALL), ("b", 8, SHOWN)], Sum("t", ("a", "b"))))
    with pytest.raises(InconsistentTables, match="rules out"):
        audit(_tables([("a", 7, SMALL)]))


def test_hiding_adds_the_two_complements_of_the_sex_table() -> None:
    start = _sex(male=SHOWN).with_statuses({"other": SHOWN})
    hidden = hide(start, {"female": 0, "male": 0})
    assert {c.id: c.status for c in hidden.cells} == {"total": SHOWN, "female": HIDDEN, "male": HIDDEN, "other": SMALL}
    assert audit(hidden) == []


def test_hiding_prefers_the_supporting_total_to_a_row_that_another_sum_gives_away() -> None:
    # EUC (2) is small. Hiding a target-group row (tcn) does not help: O.2.3 = tcn + ua gives it
    # back. Hiding "all clients" does; hiding MAJ would too but costs more (an indicator).
    cells = [("all", 500, SHOWN), ("o23", 480, SHOWN), ("maj", 18, SHOWN), ("euc", 2, SHOWN), ("rest", 0, UNPUBLISHED),
             ("tcn", 300, SHOWN), ("ua", 180, SHOWN)]
    tables = _tables(cells, Sum("all", ("tcn", "ua", "maj", "euc", "rest")), Sum("o23", ("tcn", "ua")))
    hidden = hide(tables, {"all": 0, "tcn": 0, "ua": 0, "maj": 1})
    statuses = {c.id: c.status for c in hidden.cells}
    assert statuses["euc"] is SMALL and statuses["all"] is HIDDEN
    assert [c for c, s in statuses.items() if s is HIDDEN] == ["all"]
    assert audit(hidden) == []
    assert hide(tables, {"all": 0, "tcn": 0, "ua": 0, "maj": 1}) == hidden  # deterministic


def test_hiding_that_cannot_succeed_leaves_the_failure_for_the_audit() -> None:
    # A total of 3 split 1 + 2: each part is at most 2 whatever is hidden, and the total may not be hidden.
    tables = _tables([("t", 3, SHOWN), ("a", 1, SHOWN), ("b", 2, SHOWN)], Sum("t", ("a", "b")))
    hidden = hide(tables, {"a": 0, "b": 0})
    assert {f.cell.id for f in audit(hidden)} == {"t", "a", "b"}


def test_a_covered_total_gives_a_lower_bound_only() -> None:
    # Two centres, persons linked: national 40 <= ULK + LBK, each centre at most 40. ULK shows 30, LBK is
    # hidden (true 15: 5 people are served by both). The attacker learns LBK >= 10 and <= 40, not 15.
    cells = [("national", 40, SHOWN), ("ulk", 30, SHOWN), ("lbk", 15, HIDDEN)]
    tables = _tables(cells, Covers("national", ("ulk", "lbk")), AtMost("ulk", "national"), AtMost("lbk", "national"))
    assert ranges(tables)["lbk"] == Range(10, 40)
    assert audit(tables) == []
    # The same read as a partition would pin LBK to 10: a wrong relation, the figures contradict it.
    with pytest.raises(InconsistentTables, match="add up to 45"):
        audit(_tables(cells, Sum("national", ("ulk", "lbk"))))


def test_a_covered_small_cell_next_to_a_shown_total_is_found_where_the_bound_pins_it() -> None:
    # National 12 <= a + b with a = 9 shown and b small (true 3): b >= 3 and b <= 4 (SMALL) -> two values.
    cells = [("national", 12, SHOWN), ("a", 9, SHOWN), ("b", 3, SMALL)]
    found = audit(_tables(cells, Covers("national", ("a", "b")), AtMost("b", "national")))
    assert [(f.cell.id, f.range) for f in found] == [("b", Range(3, 4))]


def test_a_total_above_its_covering_parts_is_inconsistent() -> None:
    with pytest.raises(InconsistentTables, match="more than its parts"):
        audit(_tables([("t", 50, SHOWN), ("a", 20, SHOWN), ("b", 20, HIDDEN)], Covers("t", ("a", "b"))))
