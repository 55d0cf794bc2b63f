"""`reach build`: publish by rename, read-only readers, failures leave the last warehouse in place."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import QualityGateFailed, ReachError
from pipelines.home import Home
from reach.build import FAILED_SUFFIX, build_warehouse, publish, run_dbt
from reach.cli import main
from support.raw_rows import Delivery, client, query, write_raw

pytestmark = pytest.mark.slow


def small_delivery(load_seq: int = 1) -> Delivery:
    delivery = Delivery(load_seq)
    client(delivery, "client01")
    client(delivery, "client02", citizenship="VN", residence_status="long_term")
    delivery.add("contacts", contact_id="k1", client_id="client01", contact_date=date(2022, 8, 3),
                 service="social_counselling", topic="residence", mode="in_person", duration_min=45,
                 branch="Ústí nad Labem", interpreted=False, deleted=False)
    delivery.add("outcomes", outcome_id="o1", client_id="client02", outcome_date=date(2022, 9, 1),
                 outcome="employment_found", verified=True, deleted=False)
    return delivery


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish_previous(home: Home) -> str:
    """A published warehouse from the real dbt build (no gate needed for the 'before' state)."""
    build_db = home.builds_dir / "previous.duckdb"
    target = home.builds_dir / "previous.target"
    run_dbt(home, build_db, target)
    shutil.rmtree(target)
    publish(build_db, home.warehouse_db)
    return digest(home.warehouse_db)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    home = Home(tmp_path / "home").ensure()
    write_raw(home, small_delivery())
    return home


def test_build_publishes_a_self_contained_read_only_warehouse(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home.root), "build"]) == 0
    printed = capsys.readouterr().out
    assert "models built" in printed and "Quality gate" in printed and str(home.warehouse_db) in printed

    # Self-contained: a fresh connection with nothing attached reads the marts.
    assert query(home, "select client_key from fct_contacts") == [("ULK:client01",)]
    assert query(home, "select count(*) from dim_client") == [(2,)]
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con, pytest.raises(duckdb.Error):
        con.execute("create table intruder (x integer)")
    # Nothing of the build is left behind.
    assert [p.name for p in home.builds_dir.iterdir()] == []


def test_forced_progress_shows_the_build_steps_on_stderr_only(home: Home,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home.root), "build", "--progress"]) == 0
    shown = capsys.readouterr()
    assert "Step 1 of 4: building the models (dbt)" in shown.err and "models, seeds and tests done" in shown.err
    assert "\x1b" not in shown.out and "Step " not in shown.out and "models built" in shown.out


def test_failed_dbt_test_leaves_the_previous_warehouse(home: Home) -> None:
    before = publish_previous(home)
    bad = Delivery(2)
    bad.add("contacts", contact_id="k-bad", client_id="client01", contact_date=date(2022, 8, 4),
            service="astrology", deleted=False)  # no service of dim_service: the relationships test fails
    write_raw(home, bad)

    with pytest.raises(ReachError) as failure:
        build_warehouse(home)
    message = str(failure.value)
    assert "test relationships on fct_activities.service: 1 failing row" in message and "not published" in message
    assert digest(home.warehouse_db) == before
    assert [p.name.endswith(FAILED_SUFFIX) for p in home.builds_dir.iterdir()] == [True]


def test_quality_gate_failure_leaves_the_previous_warehouse(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    before = publish_previous(home)
    doubtful = Delivery(2)
    client(doubtful, "client03", birth_year=1850)  # passes dbt, fails the gate's birth-year rule
    write_raw(home, doubtful)

    exit_code = main(["--home", str(home.root), "build"])
    assert exit_code == QualityGateFailed.exit_code
    assert "quality gate failed" in capsys.readouterr().err.lower()
    assert digest(home.warehouse_db) == before


def test_build_without_loaded_data_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path / "empty"), "build"]) == 1
    error = capsys.readouterr().err
    assert "Nothing is loaded" in error and "reach load" in error
