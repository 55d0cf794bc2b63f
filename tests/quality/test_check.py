"""`reach check` on a published warehouse: a table, results appended to raw.duckdb meta.*, exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer
from reach.build import build_warehouse
from reach.cli import main
from support.html import remote_references
from support.quality import write_clean_raw

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("quality_check")).ensure()
    write_clean_raw(home)
    build_warehouse(home)
    return home


def copy_of(home: Home, root: Path) -> Home:
    copy = Home(root).ensure()
    shutil.copy(home.raw_db, copy.raw_db)
    shutil.copy(home.warehouse_db, copy.warehouse_db)
    return copy


def recorded_runs(home: Home) -> list[tuple[str, bool, int]]:
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        return con.execute(
            "SELECT context, passed, errors_failed FROM meta.quality_runs ORDER BY started_at"
        ).fetchall()


def test_check_prints_a_table_and_records_the_run(built_home: Home, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    home = copy_of(built_home, tmp_path)
    assert main(["--home", str(home.root), "check"]) == 0
    out = capsys.readouterr().out
    assert "suite" in out and "raw_contacts" in out and "mart_fct_contacts" in out
    assert recorded_runs(home) == [("check", True, 0)]
    assert main(["--home", str(home.root), "check"]) == 0
    assert len(recorded_runs(home)) == 2  # appended, never replaced


def test_check_fails_on_a_broken_published_warehouse(built_home: Home, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    home = copy_of(built_home, tmp_path)
    with duckdb.connect(str(home.warehouse_db)) as con:
        con.execute("UPDATE fct_contacts SET duration_min = 9999 WHERE contact_key = 'ULK:k-202208-0-00'")

    assert main(["--home", str(home.root), "check"]) == 3
    captured = capsys.readouterr()
    assert "mart_fct_contacts.duration_in_range" in captured.out
    assert "ULK:k-202208-0-00" in captured.out  # the failing row is named
    assert "mart_fct_contacts.duration_in_range" in captured.err
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        rows = con.execute("SELECT severity, unexpected_count FROM meta.quality_results WHERE NOT success").fetchall()
    assert rows == [("error", 1)]
    gx_index = (home.quality_dir / "gx_data_docs" / "index.html").read_text(encoding="utf-8")
    assert "check-" in gx_index and "duration_in_range [error]" in gx_index
    assert remote_references(home.quality_dir) == {}


def test_check_without_a_warehouse_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path), "check"]) == 1
    assert "run `reach build` first" in capsys.readouterr().err


def test_generated_sample_published_with_a_passed_gate(published_home: Home) -> None:
    with duckdb.connect(str(published_home.warehouse_db), read_only=True) as con:
        runs = con.execute("SELECT context, passed, errors_failed FROM quality_runs").fetchall()
        errors = con.execute(
            "SELECT suite || '.' || expectation FROM quality_results WHERE NOT success AND severity = 'error'"
        ).fetchall()
    assert runs == [("build", True, 0)]
    assert errors == []
