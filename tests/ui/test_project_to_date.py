"""The Overview's project-to-date chart and its targets: rendered from the real warehouse, from a
hand-made home of two centres (national view: additive targets summed, unique people not), and
in a real headless Chromium."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from charts.text import chart_table
from dashboard.callbacks import Board, render_content
from dashboard.data import WarehouseSource
from dashboard.pages import overview
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING, Scope
from pipelines.formatting import fmt_int
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.catalogue import metric_name
from pipelines.metrics.protection import Protection
from pipelines.targets import load_targets
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.browser import open_table_views
from support.marts import MartBuilder, home_with_marts

TIMEOUT = 60
CHART = next(chart for chart in overview.CHARTS if chart.id == "project-to-date")

TWO_CENTRES = """
centres:
  ULK:
    - {code: U/1, name_cs: u, name_en: u, period_from: 2023-01-01, period_to: 2023-12-31,
       targets: {contacts: 730, clients_reached: 100}}
  JHM:
    - {code: J/1, name_cs: j, name_en: j, period_from: 2023-01-01, period_to: 2023-12-31,
       targets: {contacts: 365, clients_reached: 50}}
"""


def _context(home: Home, targets, search: str = "?preset=custom&from=2023-01-01&to=2023-01-31",
             scope: Scope = EVERYTHING, protection: Protection = Protection.EXACT):
    board = Board(WarehouseSource(home), targets, None)
    return board.context(parse_view("/", search), protection, scope)


@pytest.fixture
def two_centres(tmp_path: Path) -> tuple[Home, object]:
    marts = MartBuilder("ULK")
    for index in range(3):
        marts.client(f"u{index}", registered_on=date(2023, 1, 2)).contact(f"uc{index}", f"u{index}", date(2023, 1, 9))
    marts.centre = "JHM"
    marts.client("j0", registered_on=date(2023, 1, 3)).contact("jc0", "j0", date(2023, 1, 10))
    path = tmp_path / "targets.yaml"
    path.write_text(TWO_CENTRES, encoding="utf-8")
    return home_with_marts(tmp_path / "home", marts), load_targets(path)


def test_national_kpis_sum_additive_targets_and_not_unique_people(two_centres) -> None:
    home, targets = two_centres
    header = overview.header(_context(home, targets))
    text = str(header)
    # January: 31 days of 365 -> contacts 62 + 31 = 93 (summed), clients reached: not added up.
    assert "cíl 93 (součet cílů 2 center)" in text
    assert "cíle center se nesčítají (jedinečné osoby)" in text
    # One centre's coordinator: its own target, with progress.
    ulk = str(overview.header(_context(home, targets, scope=Scope(frozenset({"ULK"})))))
    assert "cíl 62)" in ulk and "nesčítají" not in ulk
    assert f"cíl {fmt_int(100 * 31 / 365, 'cs')})" in ulk


def test_the_project_to_date_chart_of_two_centres(two_centres) -> None:
    home, targets = two_centres
    data = CHART.load(_context(home, targets))
    frame = data.frame.filter(data.frame["month"] == "2023-01")
    rows = {r["metric"]: r for r in frame.to_dicts()}
    assert rows["contacts"]["cumulative"] == 4 and rows["clients_reached"]["cumulative"] == 4
    assert rows["contacts"]["pace"] == pytest.approx((730 + 365) * 31 / 365)
    assert rows["clients_reached"]["pace"] is None and rows["clients_reached"]["not_additive"]
    assert data.frame.filter(data.frame["month"] == "2023-02")["cumulative"].drop_nulls().is_empty()
    table = chart_table(CHART.draw(data, _context(home, targets)), "cs")
    assert f"{metric_name('contacts', 'cs')} – tempo k cíli" in table.columns
    assert f"{metric_name('clients_reached', 'cs')} – tempo k cíli" not in table.columns  # no sum, no pace


def test_the_overview_shows_the_project_to_date_from_the_real_warehouse(published_home: Home) -> None:
    targets = load_targets()
    context = _context(published_home, targets, search="", protection=Protection.PROTECTED)
    data = CHART.load(context)
    months = [m for m in data.frame["month"].unique(maintain_order=True).to_list()]
    assert months[0] == "2022-08" and months[-1] == "2023-07"
    con = open_warehouse(published_home)
    try:
        for month, month_end in (("2022-08", date(2022, 8, 31)), ("2023-01", date(2023, 1, 31))):
            expected = compute(con, MetricQuery(date_from=targets.period_from, date_to=month_end,
                                                metrics=("clients_reached",), scope=EVERYTHING))
            row = data.frame.filter((data.frame["month"] == month) & (data.frame["metric"] == "clients_reached"))
            assert row["cumulative"][0] == expected.frame["clients_reached"][0]
    finally:
        con.close()
    content = render_content(context)
    assert "card-project-to-date" in str(content)


@pytest.mark.browser
def test_the_overview_page_draws_the_project_to_date_chart(dash_duo: DashComposite, published_home: Home) -> None:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home)
    dash_duo.driver.get(dash_duo.server_url + "/")
    wait = WebDriverWait(dash_duo.driver, TIMEOUT)
    card = wait.until(lambda d: d.find_element(By.ID, "card-project-to-date"))
    wait.until(lambda d: card.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .scatterlayer .trace"))
    summary = dash_duo.find_element("#summary-project-to-date").text
    assert summary.startswith("Položek: 12.")  # one row per project month
    open_table_views(dash_duo, "#table-view-project-to-date")
    headers = [h.get_attribute("textContent") for h in card.find_elements(By.CSS_SELECTOR, ".chart-data th")]
    assert "Oslovení klienti – od začátku projektu" in headers
    assert "Oslovení klienti – tempo k cíli" in headers and "Oslovení klienti – projekce do konce" in headers
    assert dash_duo.get_logs() == []


def test_under_filters_the_chart_has_no_pace_to_target(two_centres) -> None:
    home, targets = two_centres
    context = _context(home, targets, search="?preset=custom&from=2023-01-01&to=2023-01-31&target_group=ukrainian")
    data = CHART.load(context)
    january = data.frame.filter(data.frame["month"] == "2023-01")
    assert january["cumulative"].to_list() == [4, 4]  # every client is in the target group
    assert january["pace"].drop_nulls().is_empty()
    columns = chart_table(CHART.draw(data, context), "cs").columns
    assert columns and not [c for c in columns if "tempo" in c]
