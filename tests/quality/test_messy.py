"""A --messy sample through the real pipeline: it publishes, and its oddities are warnings whose
counts match the loader's own summaries (meta.load_files)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.contract import FILES
from pipelines.generate import generate_sample
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from reach.build import build_warehouse
from reach.commands.demo import deliveries_in

pytestmark = pytest.mark.slow

SUITE_OF_FILE = {f.name: f"raw_{f.table}" for f in FILES}


@pytest.fixture(scope="module")
def messy_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    root = tmp_path_factory.mktemp("quality_messy")
    sample = root / "sample"
    generate_sample(sample, clients=300, months=6, start=date(2022, 8, 1), seed=11, messy=True)
    home = Home(root / "home").ensure()
    load_paths(home, [Path(p) for p in deliveries_in(sample)], centre="ULK")
    build_warehouse(home)
    return home


def gate_results(home: Home) -> dict[tuple[str, str], tuple[str, bool, int | None]]:
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        rows = con.execute(
            "SELECT suite, expectation, severity, success, unexpected_count FROM quality_results"
        ).fetchall()
    return {(suite, rule): (severity, success, count) for suite, rule, severity, success, count in rows}


def load_summary(home: Home) -> dict[str, tuple[int, int]]:
    """Per export file kind: rows quarantined and warnings, as the loader reported them."""
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        rows = con.execute(
            "SELECT file_kind, sum(rows_quarantined), sum(warnings) FROM meta.load_files "
            "WHERE file_kind IS NOT NULL GROUP BY file_kind"
        ).fetchall()
    return {kind: (int(q), int(w)) for kind, q, w in rows}


def test_messy_sample_publishes_with_warnings_only(messy_home: Home) -> None:
    results = gate_results(messy_home)
    failed = {key: value for key, value in results.items() if not value[1]}
    assert messy_home.warehouse_db.exists()
    assert failed, "a messy sample must leave warnings"
    assert {severity for severity, _, _ in failed.values()} == {"warning"}


def test_quarantine_and_warning_counts_match_the_load_summary(messy_home: Home) -> None:
    results = gate_results(messy_home)
    summary = load_summary(messy_home)
    assert sum(q for q, _ in summary.values()) > 0, "the messy sample should quarantine some rows"
    for kind, (quarantined, warnings) in summary.items():
        suite = SUITE_OF_FILE[kind]
        assert results[(suite, "quarantined_rows")][2] == quarantined, kind
        assert results[(suite, "load_warnings")][2] == warnings, kind
        assert results[(suite, "quarantined_rows")][1] == (quarantined == 0)


def test_unknown_values_are_warnings_counted_per_row(messy_home: Home) -> None:
    with connect_raw_layer(str(messy_home.raw_db), read_only=True) as con:
        unknown_modes = con.execute("SELECT count(*) FROM raw.contacts WHERE mode = 'unknown'").fetchall()[0][0]
    severity, success, count = gate_results(messy_home)[("raw_contacts", "mode_recognised")]
    assert severity == "warning"
    assert count == unknown_modes
    assert success == (unknown_modes == 0)
