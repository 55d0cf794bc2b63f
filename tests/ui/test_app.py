"""The app over a warehouse built by the real pipeline, without a browser: pages, KPIs, exports, reopen."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import warnings
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard.callbacks import Board, render_content
from dashboard.data import WarehouseSource
from dashboard.exports import export_table, to_csv, to_xlsx
from dashboard.geo import load_district_geojson
from dashboard.pages import PAGE_MODULES, chart_by_id
from dashboard.pages.overview import KPI_METRICS
from dashboard.state.pages import PAGES
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.metrics import MetricQuery
from pipelines.metrics.protection import Protection
from pipelines.targets import load_targets
from reach.commands import serve
from reach.dashboard import create_dashboard
from support.access import signed_in_client
from support.dashboard import as_shown, reach_metrics


def _board(home: Home) -> Board:
    return Board(WarehouseSource(home), load_targets(), None)


def _find(component: object, wanted_id: str) -> object | None:
    """The component with this id anywhere in a rendered tree."""
    if getattr(component, "id", None) == wanted_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, wanted_id)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("privacy", [True, False])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_from_the_real_warehouse(published_home: Home, page: str, privacy: bool) -> None:
    board = _board(published_home)
    view = board.with_default_period(parse_view(f"/{page}", "?district=CZ0427,CZ0426&sex=female"), EVERYTHING)
    context = board.context(view, Protection.PROTECTED if privacy else Protection.EXACT, EVERYTHING)
    content = render_content(context)
    assert content, page
    for chart in PAGE_MODULES[page].CHARTS:
        if not chart.shown_in(context):  # a chart of nothing (one centre: no comparison of centres)
            assert _find(content[-1], {"type": "chart", "chart": chart.id}) is None, chart.id
            continue
        assert _find(content[-1], {"type": "chart", "chart": chart.id}) is not None, chart.id


@pytest.mark.parametrize("where", [{}, {"district": ("CZ0427",)}, {"nationality": ("UA", "VN"), "sex": ("female",)}])
def test_kpi_cards_equal_reach_metrics_for_the_same_filters(published_home: Home, where: dict) -> None:
    board = _board(published_home)
    search = "?" + "&".join(f"{d}={','.join(v)}" for d, v in where.items()) if where else ""
    content = render_content(board.context(parse_view("/", search), Protection.PROTECTED, EVERYTHING))
    printed = reach_metrics(published_home, KPI_METRICS, where)
    for metric in KPI_METRICS:
        card = _find(content[0], f"kpi-value-{metric}")
        assert card is not None
        assert card.children == as_shown(printed[metric]), metric


def test_rest_of_nationalities_is_one_unduplicated_figure(published_home: Home) -> None:
    board = _board(published_home)
    context = board.context(parse_view("/reach", ""), Protection.EXACT, EVERYTHING)
    data = chart_by_id("reach-nationality").load(context)
    rows = data.frame["nationality"].to_list()
    assert rows[-1] == "__rest__"
    everyone = context.figures(("clients_reached",)).value("clients_reached")
    # Each client has one nationality, so the top rows and the rest add up to everyone.
    assert data.frame["clients_reached"].sum() == everyone


def test_export_carries_published_cells_and_czech_labels(published_home: Home) -> None:
    board = _board(published_home)
    context = board.context(parse_view("/reach", ""), Protection.PROTECTED, EVERYTHING)
    data = chart_by_id("reach-residence").load(context)
    table = export_table(data.published, "cs")
    assert table.columns == ["residence_status", "residence_status_label", "clients_reached"]
    text = to_csv(table)
    assert text.startswith("\ufeffresidence_status,residence_status_label,clients_reached")
    assert "Trvalý pobyt" in text
    # Values hidden on screen stay hidden in the file.
    published = set(data.published["clients_reached"].to_list())
    assert not any(v.isdigit() and int(v) in (1, 2) for v in published)  # perturbed: never 1 or 2
    workbook = pl.read_excel(io.BytesIO(to_xlsx(table, "reach-residence", "cs")))
    assert workbook.columns[:2] == ["residence_status", "Pobytový status"]
    assert workbook.height == table.height


def test_export_headers_are_distinct_as_excel_compares_them() -> None:
    """English labels can equal a code column's name but for case ("month" and "Month"): the
    workbook's headers must still differ ignoring case, or Excel's table repeats a header."""
    table = pl.DataFrame({"month": ["2023-01"], "month_label": ["January 2023"], "clients_reached": ["5"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns on a duplicate table header
        workbook = pl.read_excel(io.BytesIO(to_xlsx(table, "reach-trend", "en")))
    assert workbook.columns == ["month", "Month (2)", "Clients reached"]
    assert workbook.row(0) == ("2023-01", "January 2023", "5")


def test_source_reopens_when_a_new_build_replaces_the_file(published_home: Home, tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    shutil.copy(published_home.warehouse_db, home.warehouse_db)
    source = WarehouseSource(home)
    query = MetricQuery(date(2022, 8, 1), date(2023, 7, 31), metrics=("contacts",), protection=Protection.EXACT,
                        scope=EVERYTHING)
    before = source.compute(query).frame["contacts"][0]
    replacement = home.root / "next.duckdb"
    shutil.copy(published_home.warehouse_db, replacement)
    import duckdb

    with duckdb.connect(str(replacement)) as con:  # a "new build" with one contact fewer
        con.execute("DELETE FROM fct_contacts WHERE contact_key = (SELECT min(contact_key) FROM fct_contacts)")
    replacement.replace(home.warehouse_db)
    assert source.compute(query).frame["contacts"][0] == before - 1
    source.close()


def test_create_app_serves_assets_locally_and_the_quality_docs(published_home: Home) -> None:
    app = create_dashboard(published_home)
    assert app.config.serve_locally and not app.config.external_stylesheets
    client = signed_in_client(app, published_home)
    page = client.get("/").get_data(as_text=True)
    assert "https://" not in page.replace("https://plotly.com", "")  # no CDN
    assert client.get("/assets/plotly-locale-cs.js").status_code == 200
    docs = published_home.quality_dir / "data_docs" / "index.html"
    if docs.exists():
        assert client.get("/quality/data_docs/index.html").status_code == 200
    assert client.get("/quality/../warehouse.duckdb").status_code == 404


def test_serve_says_clearly_when_nothing_is_published(tmp_path: Path) -> None:
    with pytest.raises(ReachError, match="reach build"):
        serve.run(argparse.Namespace(host="127.0.0.1", port=0), Home(tmp_path).ensure())


def test_district_geojson_is_matched_by_name_or_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    square = {"type": "Polygon", "coordinates": [[[13, 50], [14, 50], [14, 51], [13, 51], [13, 50]]]}
    features = [
        {"type": "Feature", "properties": {"NAZEV": "Ústí nad Labem"}, "geometry": square},
        {"type": "Feature", "properties": {"iso": "CZ-421"}, "geometry": square},
        {"type": "Feature", "properties": {"name": "Atlantis"}, "geometry": square},
    ]
    path = tmp_path / "okresy.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    monkeypatch.setenv("REACH_DISTRICTS_GEOJSON", str(path))
    loaded = load_district_geojson(Home(tmp_path))
    assert [f["id"] for f in loaded["features"]] == ["CZ0427", "CZ0421"]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReachError, match="not valid GeoJSON"):
        load_district_geojson(Home(tmp_path))
