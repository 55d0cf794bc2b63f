"""Rules of the suites on tiny in-memory tables: identifier scan, anomaly band, chunking, suite files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations.engine import Engine, Target
from expectations.spec import SUITES_DIR, load_suite, load_suites
from pipelines.errors import ReachError

IDENTIFIERS = load_suite(SUITES_DIR / "mart_identifiers.yml")
BRANCH_MONTHS = load_suite(SUITES_DIR / "mart_branch_months.yml")


def memory_engine(chunk_rows: int = 250_000) -> tuple[duckdb.DuckDBPyConnection, Engine]:
    con = duckdb.connect()
    return con, Engine(con, Target(raw="memory.main", meta="memory.main", mart_catalog="memory"), chunk_rows)


def scan(values: list[str], column: str = "municipality") -> list[str]:
    con, engine = memory_engine()
    con.execute(f'CREATE TABLE dim_client (client_key VARCHAR, "{column}" VARCHAR)')
    con.executemany("INSERT INTO dim_client VALUES (?, ?)", [[f"ULK:c{i:05d}", v] for i, v in enumerate(values)])
    (outcome,) = engine.validate(IDENTIFIERS)
    assert outcome.exception is None, outcome.exception
    return outcome.failing_sample


@pytest.mark.parametrize(("value", "kind"), [
    ("jan.novak@example.cz", "an e-mail"),
    ("855215/1234", "a birth number"),
    ("8552151234", "a birth number"),
    ("+420 602 123 456", "a phone number"),
    ("tel. 602 123 456", "a phone number"),
    ("OP 123456789", "a document number"),
    ("Olena Kovalenko", "a personal name"),
])
def test_identifier_values_are_found_and_masked(value: str, kind: str) -> None:
    sample = scan(["Ústí nad Labem", value, "Dolní Poustevna"])
    assert len(sample) == 1
    assert f"looks like {kind}" in sample[0]
    assert value not in sample[0]  # masked: the result never copies the identifier


@pytest.mark.parametrize("column", ["surname", "email", "rodne_cislo", "phone", "passport_number", "jmeno"])
def test_identifier_column_names_are_found(column: str) -> None:
    sample = scan(["x"], column=column)
    assert any("column name looks like" in s and column in s for s in sample)


def test_pseudonyms_codes_and_places_are_not_identifiers() -> None:
    assert scan(["Ústí nad Labem", "Kontaktní místo Most", "jBquR8Y8MfhLBrCwORPH", "K000005300", "CZ0427",
                 "2022-08-01", "Pobočka Teplice"]) == []


def branch_months(series: list[int]) -> list[str]:
    con, engine = memory_engine()
    con.execute("CREATE TABLE mart_branch_month_contacts (centre VARCHAR, branch VARCHAR, month VARCHAR, "
                "contacts BIGINT)")
    months = [f"{2021 + (i // 12)}-{i % 12 + 1:02d}" for i in range(len(series))]
    con.executemany("INSERT INTO mart_branch_month_contacts VALUES ('ULK', 'Most', ?, ?)",
                    [[m, n] for m, n in zip(months, series, strict=True) if n is not None])
    outcomes = {o.expectation: o for o in engine.validate(BRANCH_MONTHS)}
    assert all(o.exception is None for o in outcomes.values())
    band, gaps = outcomes["branch_volume_within_band"], outcomes["branch_delivered_every_month"]
    return band.failing_sample + gaps.failing_sample


def test_steady_volume_is_quiet() -> None:
    assert branch_months([100, 104, 97, 101, 99, 103, 98, 100, 102, 96, 101, 99, 100, 103]) == []


def test_spike_and_drop_are_flagged() -> None:
    flagged = branch_months([100, 104, 97, 101, 99, 103, 98, 100, 102, 96, 101, 99, 400, 100, 20])
    assert [f.split(":")[0] for f in flagged] == ["ULK Most 2022-01", "ULK Most 2022-03"]


def test_missing_month_is_flagged() -> None:
    flagged = branch_months([100, 104, 97, 0, 99, 103])
    assert "ULK Most 2021-04: no contacts" in flagged


def test_counts_do_not_depend_on_chunk_size(tmp_path: Path) -> None:
    suite_file = tmp_path / "t.yml"
    suite_file.write_text(
        "suite: t\nscope: mart\ndescription: chunking\ntable: \"{mart}.t\"\nrow_label: \"CAST(id AS VARCHAR)\"\n"
        "expectations:\n  - {id: small, severity: error, description: d, expect: expect_column_values_to_be_between,"
        " kwargs: {column: v, max_value: 10}}\n",
        encoding="utf-8",
    )
    suite = load_suite(suite_file)
    counts = []
    for chunk_rows in (7, 1000):
        con, engine = memory_engine(chunk_rows)
        con.execute("CREATE TABLE t AS SELECT range AS id, range % 13 AS v FROM range(100)")
        (outcome,) = engine.validate(suite)
        counts.append((outcome.element_count, outcome.unexpected_count, outcome.success))
    assert counts[0] == counts[1] == (100, 14, False)


def test_missing_table_fails_instead_of_passing() -> None:
    _, engine = memory_engine()
    outcomes = engine.validate(load_suite(SUITES_DIR / "mart_fct_events.yml"))
    assert outcomes and all(not o.success and o.exception for o in outcomes)


@pytest.mark.parametrize(("text", "message"), [
    ("suite: s\nscope: mart\ndescription: d\nchecks:\n  - {id: a, severity: fatal, description: d, query: x}\n",
     "severity must be error or warning"),
    ("suite: s\nscope: mart\ndescription: d\ncolour: red\n", "unknown key(s) colour"),
    ("suite: s\nscope: mart\ndescription: d\ntable: t\nexpectations:\n  - {id: a, severity: error, description: d,"
     " expect: expect_column_values_to_be_in_set, kwargs: {column: c, value_set: {list: nope}}}\n",
     "unknown value list 'nope'"),
])
def test_bad_suite_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReachError, match=r"bad\.yml") as raised:
        load_suite(path)
    assert message in str(raised.value)


def test_unknown_expectation_type_names_the_suite_file(tmp_path: Path) -> None:
    path = tmp_path / "typo.yml"
    path.write_text(
        "suite: typo\nscope: mart\ndescription: d\ntable: \"{mart}.t\"\nexpectations:\n"
        "  - {id: a, severity: error, description: d, expect: expect_column_values_to_be_purple,"
        " kwargs: {column: v}}\n",
        encoding="utf-8",
    )
    con, engine = memory_engine()
    con.execute("CREATE TABLE t AS SELECT 1 AS v")
    with pytest.raises(ReachError, match=r"typo\.yml"):
        engine.validate(load_suite(path))


def test_shipped_suites_load_and_every_rule_has_a_description() -> None:
    suites = load_suites()
    assert {s.scope for s in suites} == {"raw", "mart"}
    assert all(rule.description for s in suites for rule in s.rules())
