"""The quality gate on a clean warehouse built by the real pipeline, and with one row broken.

A clean raw layer (tests/_quality_support.py) is built once by reach.build.build_warehouse
(dbt + this gate + publish). Each error expectation then gets its own copy of that home with
exactly one row broken (tests/_quality_breaks.py) and must fail; two tests run the whole build
on a break and show it is not published.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expectations.results import GateResult
from expectations.runner import run_gate
from expectations.spec import CheckSpec, SuiteSpec, load_suites
from pipelines.errors import QualityGateFailed
from pipelines.home import Home
from reach.build import build_warehouse
from support.html import remote_references
from support.quality import write_clean_raw
from support.quality_breaks import BREAKS, Break, apply

pytestmark = pytest.mark.slow

SUITES = {suite.name: suite for suite in load_suites()}


@pytest.fixture(scope="module")
def clean_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("quality_clean")).ensure()
    write_clean_raw(home)
    build_warehouse(home)
    return home


def copy_home(clean: Home, root: Path) -> tuple[Home, Path]:
    """A fresh home with the clean raw layer and the clean warehouse; a copy of it as a build file."""
    home = Home(root).ensure()
    shutil.copy(clean.raw_db, home.raw_db)
    shutil.copy(clean.warehouse_db, home.warehouse_db)
    shutil.copytree(clean.perturbation_secret.parent, home.perturbation_secret.parent)  # the figures' secret
    build_db = home.builds_dir / "candidate.duckdb"
    shutil.copy(clean.warehouse_db, build_db)
    return home, build_db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def error_rules() -> set[tuple[str, str]]:
    return {(s.name, r.id) for s in SUITES.values() for r in s.rules() if r.severity == "error"}


def test_every_error_expectation_has_a_one_row_break() -> None:
    assert set(BREAKS) == error_rules()


def test_clean_build_publishes_with_its_gate_results(clean_home: Home) -> None:
    with duckdb.connect(str(clean_home.warehouse_db), read_only=True) as con:
        runs = con.execute("SELECT run_id, context, passed, expectations, errors_failed FROM quality_runs").fetchall()
        failed = con.execute("SELECT suite, expectation FROM quality_results WHERE NOT success").fetchall()
        stored = con.execute("SELECT count(*) FROM quality_results").fetchone()
    assert len(runs) == 1
    run_id, context, passed, expectations, errors_failed = runs[0]
    assert (context, passed, errors_failed) == ("build", True, 0)
    assert failed == []
    total = sum(len(s.rules()) for s in SUITES.values())
    assert expectations == total and stored == (total,)
    assert (clean_home.quality_dir / "runs" / f"{run_id}.json").exists()
    page = (clean_home.quality_dir / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert run_id in page and "http:" not in page and "https:" not in page  # self-contained: no CDN assets
    assert 'href="../gx_data_docs/index.html"' in page  # GX's own Data Docs of the same run
    gx_index = (clean_home.quality_dir / "gx_data_docs" / "index.html").read_text(encoding="utf-8")
    assert run_id in gx_index and "reach-failed" not in gx_index
    assert all(f">{name}<" in gx_index for name in SUITES)
    assert remote_references(clean_home.quality_dir) == {}


@pytest.mark.parametrize(("suite_name", "rule_id"), sorted(BREAKS), ids=lambda v: v)
def test_one_broken_row_fails_its_expectation(clean_home: Home, tmp_path: Path, suite_name: str,
                                              rule_id: str) -> None:
    # The same data passes every expectation (test_clean_build_publishes_with_its_gate_results).
    home, build_db = copy_home(clean_home, tmp_path)
    suite = SUITES[suite_name]
    brk = BREAKS[(suite_name, rule_id)]
    apply(brk, home, build_db)
    after = run_gate(build_db, home, suites=[suite])

    failed = {o.expectation: o for o in after.errors}
    assert not after.passed
    assert rule_id in failed, after.summary()
    outcome = failed[rule_id]
    assert outcome.exception is None, outcome.exception
    assert outcome.failing_sample, "a failure names the failing row or key"
    if brk.one_row and not isinstance(_rule(suite, rule_id), CheckSpec):
        assert outcome.unexpected_count == 1
    else:
        assert (outcome.unexpected_count or 0) >= 1


def _rule(suite: SuiteSpec, rule_id: str) -> object:
    return next(r for r in suite.rules() if r.id == rule_id)


def _break_inside_build(brk: Break) -> Callable[[Path, Home], GateResult]:
    """The real gate, run after the fault is put into the freshly built file (a dbt model bug)."""

    def gate(build_db: Path, home: Home) -> GateResult:
        apply(brk, home, build_db)
        return run_gate(build_db, home)

    return gate


def test_broken_raw_row_stops_the_real_build(clean_home: Home, tmp_path: Path) -> None:
    home, _ = copy_home(clean_home, tmp_path)
    published = digest(home.warehouse_db)
    apply(BREAKS[("raw_events", "foreign_within_participants")], home, home.builds_dir / "unused.duckdb")

    with pytest.raises(QualityGateFailed) as raised:
        build_warehouse(home)

    assert "raw_events.foreign_within_participants" in str(raised.value)
    assert "not published" in str(raised.value)
    assert digest(home.warehouse_db) == published  # the last published warehouse stays
    failed = list(home.builds_dir.glob("*.failed.duckdb"))
    assert len(failed) == 1
    with duckdb.connect(str(failed[0]), read_only=True) as con:
        recorded = con.execute(
            "SELECT severity, unexpected_count FROM quality_results WHERE NOT success "
            "AND suite = 'raw_events' AND expectation = 'foreign_within_participants'"
        ).fetchall()
    assert recorded == [("error", 1)]


# A value set, and the two kinds of rule the gate alone owns since dbt's duplicates of them went
# (docs/quality.md, "Who checks what"): a code outside its list (it was also a dbt relationship to
# dim_district) and a missing value (it was also a dbt not_null).
@pytest.mark.parametrize("rule", [("mart_fct_contacts", "service_valid"), ("mart_dim_client", "district_valid"),
                                  ("mart_fct_activities", "activity_kind_present")], ids=".".join)
def test_broken_mart_row_stops_the_real_build(clean_home: Home, tmp_path: Path, rule: tuple[str, str]) -> None:
    home, _ = copy_home(clean_home, tmp_path)
    published = digest(home.warehouse_db)

    with pytest.raises(QualityGateFailed) as raised:
        build_warehouse(home, gate=_break_inside_build(BREAKS[rule]))

    assert ".".join(rule) in str(raised.value)
    assert digest(home.warehouse_db) == published


def test_gx_data_docs_of_a_failed_build_list_the_failure_offline(clean_home: Home, tmp_path: Path) -> None:
    home, _ = copy_home(clean_home, tmp_path)
    with pytest.raises(QualityGateFailed):
        build_warehouse(home, gate=_break_inside_build(BREAKS[("mart_fct_contacts", "duration_in_range")]))

    quality = home.quality_dir
    assert list(quality.rglob("*.html"))
    assert remote_references(quality) == {}  # no http(s) src/href in any page: summary or GX's
    gx_index = (quality / "gx_data_docs" / "index.html").read_text(encoding="utf-8")
    assert all(f">{name}<" in gx_index for name in SUITES)  # the run's suites
    assert "duration_in_range [error]" in gx_index  # its failing expectation
    page = next((quality / "gx_data_docs" / "validations" / "mart_fct_contacts").rglob("*.html"))
    text = page.read_text(encoding="utf-8")
    assert "duration_in_range [error]" in text and "ULK:k-" in text and "1 unexpected values found" in text
    summary = (quality / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert 'href="../gx_data_docs/index.html"' in summary


def test_warnings_publish_and_are_recorded(clean_home: Home, tmp_path: Path) -> None:
    home, _ = copy_home(clean_home, tmp_path)
    published = digest(home.warehouse_db)
    warn = Break("mart", "DELETE FROM mart_branch_month_contacts WHERE branch = 'Pobočka Teplice' "
                         "AND month = '2022-12'")

    summary = build_warehouse(home, gate=_break_inside_build(warn))

    assert digest(home.warehouse_db) != published
    assert "1 warning(s)" in summary.gate_summary
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        rows = con.execute(
            "SELECT expectation, severity, failing_sample FROM quality_results WHERE NOT success"
        ).fetchall()
    assert rows == [("branch_delivered_every_month", "warning", ["ULK Pobočka Teplice 2022-12: no contacts"])]
