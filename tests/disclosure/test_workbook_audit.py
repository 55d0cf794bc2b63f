"""The ministry workbook against our own LP attack, written here from what the sheets show.

The attack does not use reports/ministry_audit.py or pipelines/disclosure: it reads the
written workbook (openpyxl), builds the relations a reader can know from the sheets (each
breakdown adds up to its indicator; all clients reached = the target-group rows + majority
society + EU citizens + groups the workbook does not show; an indicator is at most the
figure it narrows) and minimises and maximises every hidden cell with SciPy's milp.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from pipelines.access import EVERYTHING
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from reach.cli import main
from reports.ministry_model import BreakdownRow
from reports.ministry_writer import SHEET_NAMES, write_workbook
from support.reports import ministry_data

PARTICIPANTS = ("international_protection", "third_country_national", "ukrainian")
BIG = 10**6
BREAKDOWNS = ("sex", "age_band", "nationality", "target_group", "district")
WORKBOOKS = [  # (framework, from, to): the project half-year, a month, a week
    ("amif-2021-2027", "2022-08-01", "2023-01-31"),
    ("amif-2014-2020", "2022-08-01", "2023-01-31"),
    ("amif-2021-2027", "2022-10-01", "2022-10-31"),
    ("amif-2021-2027", "2022-08-01", "2022-08-07"),
]


def _filters(text: str | None) -> dict[str, frozenset[str]]:
    """`dim = a, b; dim2 = c` as the indicators sheet prints an indicator's filter."""
    result = {}
    for part in (text or "").split(";"):
        if "=" in part:
            name, values = part.split("=", 1)
            result[name.strip()] = frozenset(v.strip() for v in values.split(","))
    return result


class Attack:
    """Variables for every hidden cell (and the unpublished rest); equations from the sheets."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.bounds: list[tuple[float, float]] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def cell(self, name: str, value: object) -> tuple[int | None, float]:
        """(variable index, constant): a shown number is a constant, `<5` and `x` are variables."""
        if isinstance(value, int | float):
            return None, float(value)
        bounds = {"<5": (1, 4), "x": (5, BIG), "rest": (0, BIG)}[str(value)]
        self.names.append(name)
        self.bounds.append(bounds)
        return len(self.names) - 1, 0.0

    def relate(self, left: tuple[int | None, float], right: list[tuple[int | None, float]], equal: bool) -> None:
        """left = sum(right), or left >= sum(right) when not `equal`."""
        coefficients: dict[int, float] = {}
        constant = -left[1]
        if left[0] is not None:
            coefficients[left[0]] = 1.0
        for index, value in right:
            constant += value
            if index is not None:
                coefficients[index] = coefficients.get(index, 0.0) - 1.0
        # sum(coefficients * x) = constant (or >= constant)
        self.rows.append((coefficients, constant, constant if equal else np.inf))

    def ranges(self) -> dict[str, tuple[int, int]]:
        n = len(self.names)
        matrix = np.zeros((len(self.rows), n))
        for r, (coefficients, _, _) in enumerate(self.rows):
            for index, value in coefficients.items():
                matrix[r, index] = value
        constraints = [LinearConstraint(matrix, [r[1] for r in self.rows], [r[2] for r in self.rows])]
        bounds = Bounds([b[0] for b in self.bounds], [b[1] for b in self.bounds])
        found = {}
        for i, name in enumerate(self.names):
            ends = []
            for sign in (1, -1):
                objective = np.zeros(n)
                objective[i] = sign
                result = milp(objective, integrality=np.ones(n), bounds=bounds, constraints=constraints)
                assert result.status == 0, (name, result.message)
                ends.append(round(sign * result.fun))
            found[name] = (ends[0], ends[1])
        return found


def attack(path: Path) -> tuple[dict[str, tuple[int, int]], dict[str, object]]:
    """Every hidden cell's feasible range, and every published people count by name."""
    book = openpyxl.load_workbook(path)
    attack = Attack()
    published: dict[str, object] = {}
    indicators: dict[str, tuple[str, dict[str, frozenset[str]], tuple[int | None, float]]] = {}
    for row in book[SHEET_NAMES["indicators"]].iter_rows(min_row=5, values_only=True):
        if row[0] and row[4] and "/" not in row[4] and row[4] != "event_attendance":
            published[row[0]] = row[3]
            indicators[row[0]] = (row[4], _filters(row[5]), attack.cell(row[0], row[3]))
    targets = {}
    for row in book[SHEET_NAMES["targets"]].iter_rows(min_row=5, values_only=True):
        if row[0] in ("clients_reached", "new_clients", "course_participants", "clients_with_outcome"):
            published[f"target {row[0]}"] = row[5]
            targets[row[0]] = attack.cell(f"target {row[0]}", row[5])
    rows_by_dimension = {}
    for dimension in BREAKDOWNS:
        sheet = book[SHEET_NAMES[dimension]]
        code = str(sheet["A1"].value).split(" ")[0]
        rows = {}
        for row in sheet.iter_rows(min_row=6, values_only=True):
            if row[0]:
                published[f"{dimension} {row[0]}"] = row[3]
                rows[row[0]] = attack.cell(f"{dimension} {row[0]}", row[3])
        rows_by_dimension[dimension] = rows
        # A person has one sex, one age band, ...: the rows add up to the indicator.
        attack.relate(indicators[code][2], list(rows.values()), equal=True)
    # All clients reached = participants by target group + majority society + EU citizens + the rest.
    others = [cell for metric, where, cell in indicators.values() if metric == "clients_reached"
              and set(where) == {"target_group"} and not where["target_group"] & set(PARTICIPANTS)]
    rest = attack.cell("rest", "rest")
    attack.relate(targets["clients_reached"], [*rows_by_dimension["target_group"].values(), *others, rest], equal=True)
    # An indicator is at most the same metric with fewer filters (the targets sheet has none).
    for metric, _where, cell in indicators.values():
        if metric in targets:
            attack.relate(targets[metric], [cell], equal=False)
    return attack.ranges(), published


@pytest.fixture(scope="module")
def workbooks(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    folder = tmp_path_factory.mktemp("audited")
    paths = {}
    for framework, start, end in WORKBOOKS:
        out = folder / f"{framework}_{start}_{end}.xlsx"
        assert main(["--home", str(published_home.root), "report", "ministry", "--from", start, "--to", end,
                     "--framework", framework, "--out", str(out)]) == 0
        paths[(framework, start, end)] = out
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("key", WORKBOOKS, ids=lambda k: "_".join(k))
def test_no_hidden_cell_can_be_narrowed(workbooks: dict[tuple[str, str, str], Path], key: tuple[str, str, str]) -> None:
    found, published = attack(workbooks[key])
    for name, (low, high) in found.items():
        if name == "rest":
            assert not (low == high and 1 <= low <= 4), f"the groups the workbook does not show are {low}"
        elif published[name] == "<5":
            assert (low, high) == (1, 4), f"{name} (<5) narrowed to {low}..{high}"
        else:
            assert high - low + 1 >= 5, f"{name} (x) narrowed to {low}..{high}"


@pytest.mark.slow
def test_the_workbooks_do_hide_cells(workbooks: dict[tuple[str, str, str], Path]) -> None:
    """The attack above is not vacuous: the sample's workbooks have `<5` and `x` cells in several sheets."""
    markers = [v for path in workbooks.values() for v in attack(path)[1].values()]
    assert markers.count("<5") >= 10 and markers.count("x") >= 4
    assert not [v for v in markers if isinstance(v, int) and 1 <= v <= 4]


def test_the_writer_refuses_a_workbook_whose_hidden_cell_can_be_narrowed(tmp_path: Path) -> None:
    # Sex: 412 = 230 women + `x` men + `<5` other, so men = 178..181, four values.
    data = ministry_data()
    sex = data.breakdowns[0]
    rows = (replace(sex.rows[0], value=230, exact=None), *sex.rows[1:])
    assert isinstance(rows[1], BreakdownRow) and rows[1].value == "x"
    bad = replace(data, breakdowns=(replace(sex, rows=rows),))
    out = tmp_path / "ministry.xlsx"
    with pytest.raises(ReachError) as refused:
        write_workbook(bad, out, generated_at=datetime(2023, 1, 5, 10, 0))
    message = str(refused.value)
    assert "not written" in message and f"male (sheet {SHEET_NAMES['sex']})" in message and "178..181" in message
    assert list(tmp_path.iterdir()) == []
    # An earlier workbook at the same path stays as it was.
    out.write_bytes(b"earlier")
    with pytest.raises(ReachError):
        write_workbook(bad, out)
    assert out.read_bytes() == b"earlier" and list(tmp_path.iterdir()) == [out]


def _small_day(home: Home) -> date:
    """A day with 2-4 participants of two or more nationalities: a + b <= 4 pins every part below 4."""
    con = open_warehouse(home)
    try:
        day = date(2022, 8, 1)
        while day < date(2023, 2, 1):
            result = compute(con, MetricQuery(day, day, ("clients_reached",), ("nationality",),
                                              {"target_group": PARTICIPANTS}, protection=Protection.EXACT,
                                              scope=EVERYTHING))
            counts = [v for v in result.frame.get_column("clients_reached").to_list() if v]
            if 2 <= sum(counts) <= 4 and len(counts) >= 2:
                return day
            day += timedelta(days=1)
    finally:
        con.close()
    raise AssertionError("the sample has no day with 2-4 participants of two nationalities")


@pytest.mark.slow
def test_reach_report_refuses_a_workbook_that_fails_the_audit(published_home: Home, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    day = _small_day(published_home).isoformat()
    out = tmp_path / "small.xlsx"
    capsys.readouterr()
    code = main(["--home", str(published_home.root), "report", "ministry", "--from", day, "--to", day,
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "not written" in err and "fewer than five possible values" in err
    assert re.search(r"\(sheet [^)]+\) \(<5\) can be narrowed to", err)
    assert list(tmp_path.iterdir()) == []
