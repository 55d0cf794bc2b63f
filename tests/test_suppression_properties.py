"""Property tests of disclosure control: nothing 1-4 is published, no hidden cell can be worked out.

The attacker here is written independently of pipelines.metrics.suppression: it finds, for
each hidden cell, every value it can take in a table consistent with what is published
(shown cells, `<5` = 1..4, `x` = 5 or more, 0 shown as 0) and the published margin, and
checks each hidden cell could take two values.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from _metrics_support import MartBuilder, home_with_marts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.access import EVERYTHING
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.suppression import suppress_column

cell_values = st.integers(min_value=0, max_value=12)


def _sums(ranges: list[range]) -> set[int]:
    """Every total the given cells can add up to."""
    totals = {0}
    for cell in ranges:
        totals = {t + v for t in totals for v in cell}
    return totals


def _possible_values(values: list[int], flags: list[str]) -> dict[int, set[int]]:
    """For each hidden cell, every value it can have in a table consistent with the publication."""
    total = sum(values)
    totals = range(1, 5) if 0 < total < 5 else [total]  # a total of 1-4 is itself published as <5
    hidden = [i for i, f in enumerate(flags) if f]
    shown = sum(v for v, f in zip(values, flags, strict=True) if not f)
    ranges = {i: range(1, 5) if flags[i] == "<5" else range(5, max(totals) + 1) for i in hidden}
    possible: dict[int, set[int]] = {}
    for i in hidden:
        others = _sums([r for j, r in ranges.items() if j != i])
        possible[i] = {v for v in ranges[i] if any(t - shown - v in others for t in totals)}
    return possible


def _one_dimension(values: list[int]) -> list[str]:
    rows = [(f"v{i:02d}",) for i in range(len(values))]
    return suppress_column(values, rows, ["nationality"], ["nationality"])


@given(st.lists(cell_values, min_size=1, max_size=8))
@settings(deadline=None)  # the machine is shared; timing is not what these tests check
def test_no_published_people_count_is_between_1_and_4(values: list[int]) -> None:
    flags = _one_dimension(values)
    for value, flag in zip(values, flags, strict=True):
        if 0 < value < 5:
            assert flag == "<5"
        if value == 0:
            assert flag == ""  # 0 stays 0


@given(st.lists(cell_values, min_size=1, max_size=8))
@settings(deadline=None)  # the machine is shared; timing is not what these tests check
def test_no_hidden_cell_follows_by_subtraction_from_the_total(values: list[int]) -> None:
    flags = _one_dimension(values)
    total = sum(values)
    if 0 < total < 5:
        return  # the total itself is <5: nothing can be subtracted from it
    hidden = [i for i, flag in enumerate(flags) if flag]
    assert len(hidden) != 1, (values, flags)


@given(st.lists(cell_values, min_size=1, max_size=7))
@settings(max_examples=300, deadline=None)
def test_no_hidden_cell_can_be_pinned_down_from_bounds_and_total(values: list[int]) -> None:
    flags = _one_dimension(values)
    possible = _possible_values(values, flags)
    for i, candidates in possible.items():
        assert values[i] in candidates  # the attacker model is consistent with the truth
    pinned = [i for i, candidates in possible.items() if len(candidates) == 1]
    if pinned:
        # Only when every nonzero cell is hidden already (e.g. 4 + 4 with the total 8 published)
        # is nothing left to hide in this table: only hiding the total would help.
        assert all(flag for value, flag in zip(values, flags, strict=True) if value), (values, flags)


@given(st.lists(st.lists(cell_values, min_size=2, max_size=4), min_size=2, max_size=4).filter(
    lambda m: len({len(r) for r in m}) == 1))
@settings(deadline=None)
def test_two_partitioning_dimensions_no_group_has_a_single_hidden_cell(matrix: list[list[int]]) -> None:
    rows, values = [], []
    for r, line in enumerate(matrix):
        for c, value in enumerate(line):
            rows.append((f"n{r}", f"s{c}"))
            values.append(value)
    flags = suppress_column(values, rows, ["nationality", "sex"], ["nationality", "sex"])
    for position in (0, 1):  # groups along each dimension share the other dimension's value
        groups: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            groups.setdefault(row[1 - position], []).append(index)
        for members in groups.values():
            margin = sum(values[i] for i in members)
            hidden = [i for i in members if flags[i]]
            # A cell equal to its margin (e.g. 5 alone in its column) cannot be protected inside
            # this table; only hiding the margin would. Everywhere else one hidden cell is never alone.
            exhausted = all(flags[i] for i in members if values[i])
            if margin >= 5 and not exhausted:
                assert len(hidden) != 1, (matrix, flags)


def test_complement_is_chosen_where_it_stays_protected() -> None:
    # nationality x sex, margins published. Row n1 = (1, 5, 6): the 1 is <5 and needs a complement.
    # The 5 sits alone in its sex column (margin 5), so hiding it would protect nothing;
    # the 6 shares its column with a visible 7 and is the useful complement.
    rows = [("n0", "s0"), ("n0", "s1"), ("n0", "s2"), ("n1", "s0"), ("n1", "s1"), ("n1", "s2")]
    values = [0, 0, 7, 1, 5, 6]
    flags = suppress_column(values, rows, ["nationality", "sex"], ["nationality", "sex"])
    assert flags[3] == "<5"
    assert flags[4] == "", flags
    assert flags[5] == "x"


@given(st.lists(cell_values, min_size=1, max_size=8))
@settings(deadline=None)  # the machine is shared; timing is not what these tests check
def test_non_partitioning_dimension_needs_only_primary_suppression(values: list[int]) -> None:
    rows = [(f"s{i}",) for i in range(len(values))]
    flags = suppress_column(values, rows, ["service"], [])
    assert flags == ["<5" if 0 < v < 5 else "" for v in values]


# Through compute(): random clients over districts, published with --suppress.
district_codes = st.sampled_from(["CZ0421", "CZ0422", "CZ0423", "CZ0427", "outside_region"])


@given(st.lists(district_codes, min_size=1, max_size=40))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_published_district_table_protects_every_small_cell(client_districts: list[str]) -> None:
    marts = MartBuilder()
    for n, district in enumerate(client_districts):
        client_id = f"CL{n:05d}"
        marts.client(client_id, registered_on=date(2022, 1, 1), district=district)
        marts.contact(f"K{n:05d}", client_id, date(2022, 9, 1))
    with tempfile.TemporaryDirectory() as folder:
        home = home_with_marts(Path(folder), marts)
        con = open_warehouse(home)
        try:
            result = compute(con, MetricQuery(date(2022, 9, 1), date(2022, 9, 30), ("clients_reached",),
                                              by=("district",), suppress=True, scope=EVERYTHING))
        finally:
            con.close()
    truth = {d: client_districts.count(d) for d in set(client_districts)}
    published = dict(result.published().iter_rows())
    assert set(published) == set(truth)
    values = [truth[d] for d in sorted(truth)]
    flags = [published[d] if published[d] in ("<5", "x") else "" for d in sorted(truth)]
    for value, shown in zip(values, [published[d] for d in sorted(truth)], strict=True):
        assert shown in ("<5", "x") or (int(shown) == value and not 0 < value < 5)
    total = sum(values)
    if total >= 5:
        assert sum(1 for f in flags if f) != 1
