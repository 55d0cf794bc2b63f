"""The gate's pre-filter (expectations/prefilter.py) never hides a row GX would find unexpected.

Each predicate is held to GX's own verdict on every row of a table of awkward values (NULL,
NaN, bounds, near-misses, Unicode, trailing newlines), and a whole validation with the
pre-filter gives exactly the outcomes of one without it (counts, samples, success).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations import prefilter
from expectations.engine import FAILING_ROWS, Engine, Target, build_expectation
from expectations.runner import run_check
from expectations.spec import SUITES_DIR, ExpectationSpec, SuiteSpec, load_suites
from pipelines.contract import CLIENT_ID_PATTERN
from pipelines.home import Home

ROWS = """
CREATE TABLE awkward AS SELECT * FROM (VALUES
  (1, 'a',  'ULK:c00001',      1,    1.0,          true,  DATE '2024-01-01', DATE '2023-12-31', 5,    4),
  (2, 'b',  'abc',             600,  600.0,        false, DATE '2024-01-01', DATE '2024-01-01', 4,    5),
  (3, NULL, 'abcdef\n',        0,    'NaN'::DOUBLE, NULL, NULL,              DATE '2024-01-01', NULL, 5),
  (4, 'z',  'abcdef',          601,  0.999,        true,  DATE '2024-01-02', NULL,              5,    NULL),
  (5, 'Á',  NULL,              NULL, NULL,         false, NULL,              NULL,              NULL, NULL),
  (6, '',   'ab cd ef',        -3,   600.0001,     true,  DATE '2020-02-29', DATE '2020-02-28', 7,    7),
  (7, 'a ', 'ěščřžýáíé1',      300,  -0.0,         NULL,  DATE '2024-01-01', DATE '2024-01-01', 0,    -1),
  (8, 'A',  '١٢٣٤٥٦',          1,    'Infinity'::DOUBLE, true, DATE '2024-01-01', DATE '2025-01-01', 1, 1),
  (9, 'b',  'aaaaaa_-',        2,    '-Infinity'::DOUBLE, false, DATE '2024-01-01', DATE '2024-01-01', 2, 3)
) t(row_id, code, client_id, minutes, share, flag, later, earlier, big, small)
"""

EXPECTATIONS = [
    ("expect_column_values_to_not_be_null", {"column": "code"}),
    ("expect_column_values_to_not_be_null", {"column": "share"}),
    ("expect_column_values_to_not_be_null", {"column": "later"}),
    ("expect_column_values_to_be_in_set", {"column": "code", "value_set": ["a", "b", "z"]}),
    ("expect_column_values_to_be_in_set", {"column": "flag", "value_set": [True]}),
    ("expect_column_values_to_be_in_set", {"column": "minutes", "value_set": [1, 2, 300]}),
    ("expect_column_values_to_not_be_in_set", {"column": "code", "value_set": ["b", ""]}),
    ("expect_column_values_to_not_be_in_set", {"column": "minutes", "value_set": [0, 601]}),
    ("expect_column_values_to_be_between", {"column": "minutes", "min_value": 1, "max_value": 600}),
    ("expect_column_values_to_be_between", {"column": "share", "min_value": 1, "max_value": 600}),
    ("expect_column_values_to_be_between", {"column": "share", "max_value": 0}),
    ("expect_column_values_to_be_between", {"column": "minutes", "min_value": 0.5}),
    ("expect_column_values_to_match_regex", {"column": "client_id", "regex": CLIENT_ID_PATTERN}),
    ("expect_column_values_to_match_regex", {"column": "client_id", "regex": r"\d"}),
    ("expect_column_values_to_match_regex", {"column": "code", "regex": r"^\w$"}),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "later", "column_B": "earlier"}),
    ("expect_column_pair_values_a_to_be_greater_than_b",
     {"column_A": "later", "column_B": "earlier", "or_equal": True}),
    ("expect_column_pair_values_a_to_be_greater_than_b",
     {"column_A": "big", "column_B": "small", "ignore_row_if": "either_value_is_missing"}),
    ("expect_column_pair_values_a_to_be_greater_than_b",
     {"column_A": "big", "column_B": "small", "or_equal": True, "ignore_row_if": "neither"}),
    ("expect_column_pair_values_a_to_be_greater_than_b",
     {"column_A": "share", "column_B": "minutes", "or_equal": True, "ignore_row_if": "neither"}),
    ("expect_column_pair_values_a_to_be_greater_than_b",
     {"column_A": "minutes", "column_B": "share", "ignore_row_if": "both_values_are_missing"}),
]


def spec(n: int, expect: str, kwargs: dict[str, Any]) -> ExpectationSpec:
    return ExpectationSpec(id=f"e{n}", severity="error", description=expect, expect=expect, kwargs=kwargs)


def suite(expectations: list[ExpectationSpec]) -> SuiteSpec:
    return SuiteSpec(name="awkward", description="", scope="mart", table="{mart}.awkward", row_label="row_id",
                     columns={}, expectations=tuple(expectations), checks=(), path=Path("awkward.yml"))


def engine() -> tuple[duckdb.DuckDBPyConnection, Engine]:
    con = duckdb.connect()
    con.execute(ROWS)
    return con, Engine(con, Target(raw="memory.main", meta="memory.main", mart_catalog="memory"), chunk_rows=4)


@pytest.mark.parametrize(("n", "expect", "kwargs"), [(n, *e) for n, e in enumerate(EXPECTATIONS)])
def test_every_row_gx_finds_unexpected_is_a_candidate(n: int, expect: str, kwargs: dict[str, Any]) -> None:
    con, gate = engine()
    rule = spec(n, expect, kwargs)
    relation = con.sql(gate._projection_sql(suite([rule])))
    types = {c: str(t) for c, t in zip(relation.columns, relation.types, strict=True)}
    found = prefilter.candidates(rule, types, "p0")
    assert found is not None, "the pre-filter is written for this expectation"
    predicate, params = found
    selected = {int(r) for (r,) in con.sql(f"SELECT _row FROM ({relation.sql_query()}) WHERE {predicate}",
                                           params=params or None).fetchall()}
    # GX on every row at once, with every failing row's label.
    frame = relation.to_arrow_table().to_pandas().set_index("_row")  # as the engine converts
    (result,) = gate._run(frame, gate._gx_suite("awkward", [build_expectation(rule.id, expect, kwargs)]),
                          {**FAILING_ROWS, "partial_unexpected_count": 100}).values()
    assert result.exception_info.get("raised_exception") is not True
    unexpected = {int(item["_row"]) if isinstance(item, dict) else int(item)
                  for item in result.result.get("partial_unexpected_index_list") or []}
    assert len(unexpected) == result.result["unexpected_count"]
    assert unexpected <= selected, f"GX finds rows {sorted(unexpected - selected)} the pre-filter hides"
    assert selected != set(range(1, 10)), "the predicate selects every row: it filters nothing"


def test_outcomes_with_and_without_the_pre_filter_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [spec(n, *e) for n, e in enumerate(EXPECTATIONS)]
    rules += [spec(97, "expect_column_values_to_not_be_null", {"column": "row_id"}),
              spec(98, "expect_column_values_to_be_between", {"column": "row_id", "min_value": 1, "max_value": 9}),
              spec(99, "expect_column_values_to_be_in_set", {"column": "code", "value_set": ["a"], "mostly": 0.0})]

    def outcomes() -> list[tuple[Any, ...]]:
        _, gate = engine()
        return [(o.expectation, o.success, o.element_count, o.unexpected_count, o.failing_sample, o.exception)
                for o in gate.validate(suite(rules))]

    filtered = outcomes()
    monkeypatch.setattr(prefilter, "candidates", lambda *_: None)
    assert filtered == outcomes()
    assert any(not success for _, success, *_ in filtered) and any(success for _, success, *_ in filtered)


def test_a_bad_argument_still_reaches_gx_when_no_row_is_a_candidate() -> None:
    _, gate = engine()
    rule = spec(0, "expect_column_values_to_be_between", {"column": "minutes", "min_value": -1000, "max_value": 1000})
    (outcome,) = gate.validate(suite([rule]))
    assert outcome.success and outcome.element_count == 9 and outcome.unexpected_count == 0
    missing = spec(1, "expect_column_values_to_not_be_null", {"column": "no_such_column"})
    (outcome,) = gate.validate(suite([missing]))
    assert not outcome.success and "no_such_column" in (outcome.exception or "")


def test_every_row_expectation_of_the_shipped_suites_is_pre_filtered(
        published_home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the gate's speed at national scale rests on (docs/performance.md): on a real
    # warehouse, every row expectation of the shipped suites gets a predicate for its column's type.
    home = Home(tmp_path).ensure()
    shutil.copy(published_home.raw_db, home.raw_db)
    shutil.copy(published_home.warehouse_db, home.warehouse_db)
    unfiltered: list[str] = []
    written = prefilter.candidates

    def recording(rule: ExpectationSpec, types: dict[str, str], name: str) -> tuple[str, dict[str, Any]] | None:
        found = written(rule, types, name)
        if found is None:
            unfiltered.append(f"{rule.id} ({rule.expect} {rule.kwargs}, types {types})")
        return found

    monkeypatch.setattr(prefilter, "candidates", recording)
    result = run_check(home)
    assert result.passed
    assert sum(len(s.expectations) for s in load_suites(SUITES_DIR)) > 100
    assert unfiltered == []
