"""A warehouse home anywhere: a path with a quote, a space and non-ASCII letters works end to end.

Paths travel to DuckDB as parameters (pipelines/database.attach) and to dbt through the
environment, never pasted into SQL, so `O'Brien dům` is as good a home as `warehouse`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard.data import WarehouseSource
from pipelines.access import EVERYTHING
from pipelines.deliveries import list_deliveries
from pipelines.generate import generate_sample
from pipelines.home import Home
from pipelines.metrics import MetricQuery
from pipelines.metrics.protection import Protection
from reach.cli import main
from reach.commands.demo import deliveries_in

pytestmark = pytest.mark.slow

AWKWARD = "O'Brien dům \"sklad\" ; DROP"


def test_load_build_check_metrics_and_dashboard_in_a_home_whose_path_needs_quoting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = tmp_path / "vzorek d'Ústí"
    generate_sample(sample, clients=100, months=2, start=date(2022, 8, 1), seed=11, messy=False)
    home = Home(tmp_path / AWKWARD / "domov čšř")

    def reach(*args: str) -> str:
        status = main(["--home", str(home.root), *args])
        captured = capsys.readouterr()
        assert status == 0, captured.err
        assert "Traceback" not in captured.err
        return captured.out

    reach("load", *deliveries_in(sample))
    reach("build")
    reach("check")
    printed = json.loads(reach("metrics", "--from", "2022-08-01", "--to", "2022-09-30",
                               "--metric", "clients_reached,contacts", "--format", "json", "--exact"))
    reach("deliveries", "list")
    assert len(list_deliveries(home)) == 2

    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        contacts = con.execute("SELECT count(*) FROM fct_contacts WHERE contact_date <= '2022-09-30'").fetchall()
    assert contacts[0][0] > 0
    # reach metrics read the same warehouse (exact: protected figures are perturbed by design)
    assert printed[0]["contacts"] == contacts[0][0]
    source = WarehouseSource(home)
    result = source.compute(MetricQuery(date(2022, 8, 1), date(2022, 9, 30), metrics=("contacts",), scope=EVERYTHING,
                                        protection=Protection.EXACT))
    assert result.frame["contacts"][0] == contacts[0][0]
    source.close()
    assert (home.quality_dir / "data_docs" / "index.html").exists()
    assert (home.quality_dir / "gx_data_docs" / "index.html").exists()
