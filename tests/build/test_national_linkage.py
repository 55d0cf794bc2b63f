"""Unique people across centres through the real path: a national sample of two centres (some people
served by both, with the same linkage key), loaded per centre, built with dbt; the national count of
people is the count of distinct linkage keys, each centre's its own clients."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.access import EVERYTHING
from pipelines.generate import NationalManifest, generate_national
from pipelines.home import Home
from pipelines.ingest.loader import load_paths
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from reach.build import build_warehouse

START = date(2022, 8, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, NationalManifest]:
    root = tmp_path_factory.mktemp("national_linkage")
    national = generate_national(root / "sample", ["ULK", "LBK"], clients=900, months=2, start=START, seed=11)
    home = Home(root / "home").ensure()
    for code, path in national.centre_paths().items():
        load_paths(home, [path], centre=code)
    build_warehouse(home)
    return home, national


def _linkage_keys(national: NationalManifest, centre: str) -> set[str]:
    """The linkage keys of a centre's clients as delivered (its deliveries' klienti files, by hand)."""
    files = sorted((Path(national.out) / centre).glob("*/klienti*.csv"))
    frame = pl.concat([pl.read_csv(f, separator=";", infer_schema=False) for f in files])
    return set(frame["Národní klíč"].drop_nulls())


def test_national_counts_count_a_person_served_by_both_centres_once(built: tuple[Home, NationalManifest]) -> None:
    home, national = built
    ulk, lbk = _linkage_keys(national, "ULK"), _linkage_keys(national, "LBK")
    assert len(ulk & lbk) == national.shared_people > 0
    con = open_warehouse(home)
    try:
        def reached(**kwargs: object) -> list[dict[str, object]]:
            query = MetricQuery(START, date(2022, 9, 30), ("clients_reached",), protection=Protection.EXACT,
                                scope=EVERYTHING, **kwargs)  # type: ignore[arg-type]
            return compute(con, query).frame.to_dicts()

        per_centre = {r["centre"]: r["clients_reached"] for r in reached(by=("centre",))}
        (total,) = reached()
        # Every delivered client was active in the two months (the generator's clients all have a contact).
        registered = con.execute("SELECT centre, count(*) FROM dim_client GROUP BY centre").fetchall()
        assert per_centre == dict(registered)
        people = con.execute("SELECT count(DISTINCT national_key) FROM dim_client").fetchall()[0][0]
        assert total["clients_reached"] == people == len(ulk | lbk)
        assert sum(per_centre.values()) - total["clients_reached"] == national.shared_people
    finally:
        con.close()


def test_the_ministry_workbook_counts_each_person_once_on_the_national_sheet(
        built: tuple[Home, NationalManifest], tmp_path: Path) -> None:
    """Every centre delivers the linkage key: the national sheet's O.2.3 is the count of persons (less than
    the centres' sheets together), its coverage line says so, and the audit (total <= sum of the centres)
    lets the workbook be written."""
    from openpyxl import load_workbook

    from reach.cli import main
    from reports.framework import load_framework

    home, _ = built
    out = tmp_path / "ministry.xlsx"
    assert main(["--home", str(home.root), "report", "ministry", "--from", "2022-08-01", "--to", "2022-09-30",
                 "--out", str(out)]) == 0
    book = load_workbook(out)
    national, *centres = (book[name] for name in ("Ukazatele", "Ukazatele LBK", "Ukazatele ULK"))

    def o23(sheet) -> int:
        return next(row[3] for row in sheet.iter_rows(values_only=True) if row[0] == "O.2.3")

    o23_query = load_framework("amif-2021-2027").indicator("O.2.3")
    con = open_warehouse(home)
    try:
        persons = compute(con, MetricQuery(START, date(2022, 9, 30), (o23_query.metric,), where=o23_query.where,
                                           protection=Protection.EXACT, scope=EVERYTHING)).frame.item()
    finally:
        con.close()
    assert o23(national) == persons < sum(o23(sheet) for sheet in centres)
    assert "each person once" in national["A3"].value and "sum of the centres" not in national["A3"].value
