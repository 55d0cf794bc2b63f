"""Every chart's text alternative: a table of exactly the figures it draws, and a summary.

Small frames through the real figure builders, then every chart of every page over the warehouse
the real pipeline built, with small-number protection on and off.
"""

from __future__ import annotations

import polars as pl
import pytest
from dash import html

from charts import figures
from charts.text import chart_table, describe, summary
from dashboard.callbacks import Board, chart_table_view, render_content, view_key
from dashboard.data import WarehouseSource
from dashboard.pages import PAGE_MODULES
from dashboard.state.pages import PAGES
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING
from pipelines.home import Home
from pipelines.metrics.catalogue import REST_CODE, code_label
from pipelines.metrics.protection import Protection
from pipelines.targets import load_targets


def test_bars_give_one_row_per_bar_with_protected_values_and_the_filter_of_a_click() -> None:
    frame = pl.DataFrame({
        "nationality": ["UA", "VN", "MN", REST_CODE], "clients_reached": [120, None, None, 30],
        "clients_reached__flag": ["", "<5", "x", ""],
    })
    table = chart_table(figures.bar_by_dimension(frame, "nationality", "clients_reached", "cs",
                                                 sort=False), "cs")
    assert table.columns == ("Oslovení klienti",)
    assert [(r.label, r.cells) for r in table.rows] == [
        ("Ukrajina", ("120",)), ("Vietnam", ("<5",)), ("Mongolsko", ("skryto",)), ("Ostatní", ("30",))]
    assert [r.filter for r in table.rows] == [("nationality", "UA"), ("nationality", "VN"),
                                              ("nationality", "MN"), ("nationality", REST_CODE)]
    text = summary(table, "cs")
    assert text == "Položek: 4. Nejvíce: Ukrajina (120). Skrytých nebo malých hodnot: 2."  # "other" is not ranked


def test_several_series_are_columns_and_a_heatmap_is_a_cross_table() -> None:
    services = pl.DataFrame({"service": ["social_counselling", "interpreting"], "contacts": [40, 12],
                             "service_hours": [20.5, 3.0]})
    table = chart_table(figures.service_bars(services, "en"), "en")
    assert table.columns == ("Contacts", "Service hours")
    assert [r.cells for r in table.rows] == [("40", "20.5"), ("12", "3.0")]
    levels = pl.DataFrame({"level_in": ["A1", "A1", "A2"], "level_out": ["A1", "A2", "B1"], "enrolments": [5, 9, 6]})
    cross = chart_table(figures.cefr_flow(levels, "cs"), "cs")
    assert cross.corner == "Vstupní úroveň"
    assert cross.columns == ("A1", "A2", "B1")
    assert [(r.label, r.cells) for r in cross.rows] == [("A1", ("5", "9", "—")), ("A2", ("—", "—", "6"))]
    assert "Nejvyšší hodnota" not in summary(cross, "cs")  # three columns: each column's largest is named
    assert "A2 – nejvíce: A1 (9)." in summary(cross, "cs")


def test_lines_are_months_by_group_and_the_tile_map_keeps_its_note() -> None:
    trend = pl.DataFrame({"month": ["2022-08", "2022-09", "2022-08"],
                          "target_group": ["ukrainian", "ukrainian", "third_country_national"],
                          "clients_reached": [10, 12, 7]})
    table = chart_table(figures.trend_by_group(trend, "cs"), "cs")
    assert [r.label for r in table.rows] == [code_label("month", "2022-08", "cs"), code_label("month", "2022-09", "cs")]
    assert len(table.columns) == 2 and table.rows[1].cells[table.columns.index("Občan Ukrajiny")] == "12"
    districts = pl.DataFrame({"district": ["CZ0427", "CZ0513"], "clients_reached": [100, 8]})  # Liberec: elsewhere
    tiles = chart_table(figures.district_tile_map(districts, "clients_reached", "cs"), "cs")
    assert tiles.columns == ("Oslovení klienti",)
    assert ("Ústí nad Labem", ("100",)) in [(r.label, r.cells) for r in tiles.rows]
    assert tiles.notes == ("Liberec: 8",)
    assert summary(tiles, "cs").endswith("Liberec: 8.")


def test_an_empty_chart_says_why_and_a_label_from_a_delivery_stays_text() -> None:
    empty = chart_table(figures.bar_by_dimension(pl.DataFrame(schema={"service": pl.String, "contacts": pl.Int64}),
                                                 "service", "contacts", "cs"), "cs")
    assert empty.rows == () and "nejsou žádná data" in summary(empty, "cs")
    branches = pl.DataFrame({"branch": ["<b>Most</b> & spol."], "month": ["2022-08"], "contacts": [3]})
    table = chart_table(figures.month_heatmap(branches, "branch", "contacts", "cs"), "cs")
    assert table.rows[0].label == "<b>Most</b> & spol."  # shown as written, never as markup
    assert describe(figures.month_heatmap(branches, "branch", "contacts", "cs"), "Kontakty", "cs").startswith(
        "Kontakty. Položek: 1.")


def _tables(component: object) -> list[object]:
    """The table views (details.chart-table) anywhere in a rendered tree."""
    found = []
    if "chart-table" in (getattr(component, "className", None) or "").split():
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _tables(child)
    return found


def _texts(component: object) -> list[str]:
    children = getattr(component, "children", None)
    if isinstance(children, str):
        return [children]
    out: list[str] = []
    for child in children if isinstance(children, list) else [children]:
        out += [child] if isinstance(child, str) else _texts(child) if child is not None else []
    return out


@pytest.mark.parametrize("privacy", [True, False])
@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_a_table_view_of_the_figures_it_draws(published_home: Home, page: str, privacy: bool) -> None:
    board = Board(WarehouseSource(published_home), load_targets(), None)
    state = board.with_default_period(parse_view(f"/{page}", "?nationality=UA,VN"), EVERYTHING)
    context = board.context(state, Protection.PROTECTED if privacy else Protection.EXACT, EVERYTHING)
    content = render_content(context)
    charts = [chart for chart in PAGE_MODULES[page].CHARTS if chart.shown_in(context)]
    tables = _tables(content[-1]) if charts else []
    assert len(tables) == len(charts)
    for chart, details in zip(charts, tables, strict=True):
        # The card holds the table view's place, marked with its chart and view; the table comes when opened.
        assert getattr(details, "data-chart") == chart.id and getattr(details, "data-view") == view_key(context)
        assert not [c for c in details._traverse() if isinstance(c, html.Table)]
        drawn = chart_table(chart.draw(chart.load(context), context), "cs")
        view = chart_table_view(chart, context)
        assert getattr(view, "data-view") == view_key(context)
        shown = _texts(view)
        for row in drawn.rows:  # every label and every value as drawn, protected as drawn
            assert row.label in shown, (chart.id, row.label)
            assert all(cell in shown for cell in row.cells), (chart.id, row)


@pytest.mark.parametrize("privacy", [True, False])
def test_table_views_of_people_counts_are_protected_as_the_charts(published_home: Home, privacy: bool) -> None:
    board = Board(WarehouseSource(published_home), load_targets(), None)
    state = board.with_default_period(parse_view("/reach", "?district=CZ0424"), EVERYTHING)
    context = board.context(state, Protection.PROTECTED if privacy else Protection.EXACT, EVERYTHING)
    cells = [cell for chart in PAGE_MODULES["reach"].CHARTS if chart.id != "reach-per-1000"
             for row in chart_table(chart.draw(chart.load(context), context), "cs").rows for cell in row.cells]
    if privacy:  # perturbed, as on the charts: never 1 or 2
        assert not [c for c in cells if c.isdigit() and int(c) in (1, 2)]
    else:
        assert [c for c in cells if c.isdigit() and 0 < int(c) < 5]  # protection off: exact counts
