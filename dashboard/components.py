"""Reusable pieces of page layout: chart cards with export buttons and a table view, KPI cards, notices."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
from dash import dcc, html

from charts.text import ChartTable, Row, chart_table, summary
from dashboard.i18n import t
from dashboard.routine.trace_button import trace_button
from dashboard.state.url import FILTER_DIMENSIONS
from pipelines.metrics.catalogue import METRICS_BY_NAME, REST_CODE, dimension_name
from pipelines.metrics.protection import SPARSE_NOTICE


def graph_config(lang: str) -> dict[str, object]:
    """Plotly config: Czech locale served from assets, no mode bar."""
    return {
        "locale": lang,
        "displaylogo": False,
        "displayModeBar": False,  # exports are the card's CSV/XLSX buttons; the bar covered labels
    }


TABLE_BODY, TABLE_OPENED = "table-body", "table-opened"  # pattern ids of a table view's body and its request
TABLE_SHOWN = "table-shown"  # the class of what a table view's body shows, marked with its view (data-view)
# A script's test, true once every open table view shows the table of the view its card draws.
TABLES_SHOWN_JS = f"""
return Array.prototype.every.call(document.querySelectorAll("details.chart-table[open]"), function (d) {{
  var shown = d.querySelector(".table-body > .{TABLE_SHOWN}");
  return shown !== null && shown.getAttribute("data-view") === d.getAttribute("data-view");
}});"""


def shown_table(children: object, view_key: str) -> html.Div:
    """What a table view's body shows (its table, or why there is none), marked with the view it is of."""
    return html.Div(children, className=TABLE_SHOWN, **{"data-view": view_key})


def chart_card(chart_id: str, title: str, figure: go.Figure, lang: str, *, hidden: bool = False,
               sparse: bool = False, ignored_filters: tuple[str, ...] = (), wide: bool = False,
               exports: bool = True, trace: str | None = None, view_key: str = "") -> html.Section:
    """A chart with its title, downloads, a text summary and a "show as table" view of the same figures.

    The drawing is hidden from screen readers: the summary and the table say what it shows, and the
    table's row buttons filter like a click on the row's bar. The table (`table_view`) is sent when its
    view is first opened (assets/a11y.js asks, callbacks.open_table_view answers): its cells were most
    of a page's components, and React rendered them, hidden, on every first load. `view_key` names the
    view drawn (callbacks.view_key): a table shown for another view is asked for again.
    """
    notes = []
    if sparse:  # the figure is empty: say why
        notes.append(html.Div(SPARSE_NOTICE[lang], className="note note-privacy note-sparse"))
    if hidden:
        notes.append(html.Div(t("privacy_hidden", lang), className="note note-privacy"))
    if ignored_filters:
        names = ", ".join(dimension_name(d, lang) for d in ignored_filters)
        text = (f"Filtr {names} se na tento graf nevztahuje." if lang == "cs"
                else f"The filter {names} does not apply to this chart.")
        notes.append(html.Div(text, className="note"))
    table = chart_table(figure, lang)
    title_id = f"title-{chart_id}"
    return html.Section(className="card chart-card" + (" wide" if wide else ""), id=f"card-{chart_id}",
                        **{"aria-labelledby": title_id}, children=[
        html.Div(className="card-head", children=[
            html.H2(title, id=title_id),
            html.Div(className="exports", children=[
                html.Button(t(f"export_{fmt}", lang), id={"type": "export", "chart": chart_id, "fmt": fmt},
                            className="btn-export", title=f"{title} ({fmt.upper()})",
                            **{"aria-label": f"{t('download', lang)}: {title} ({fmt.upper()})"})
                for fmt in (("csv", "xlsx") if exports else ())  # no buttons for a role without exports
            ] + ([trace_button(trace, title, lang, chart_id)] if trace else [])),  # the chart's metric, traced
        ]),
        html.P(summary(table, lang), className="chart-summary", id=f"summary-{chart_id}"),
        html.Div(className="chart-graphic", **{"aria-hidden": "true"}, children=dcc.Graph(
            id={"type": "chart", "chart": chart_id}, figure=figure, config=graph_config(lang), animate=False)),
        *notes,
        html.Details(className="chart-table", id=f"table-view-{chart_id}",
                     **{"data-chart": chart_id, "data-view": view_key}, children=[
            html.Summary(t("show_table", lang), className="chart-table-toggle"),
            html.Div(id={"type": TABLE_BODY, "chart": chart_id}, className="table-body"),
            dcc.Store(id={"type": TABLE_OPENED, "chart": chart_id}),
        ]),
    ])


def table_view(chart_id: str, title: str, table: ChartTable, lang: str,
               filters: Mapping[str, tuple[str, ...]]) -> html.Div:
    """The chart's figures as a table with row and column headers; filterable rows are buttons."""
    if not table.rows:
        return html.Div(html.P(table.message, className="note"), className="table-wrap")
    head = html.Tr([html.Th(table.corner, scope="col"), *[html.Th(c, scope="col", className="num")
                                                          for c in table.columns]])
    body = [html.Tr([html.Th(_row_header(chart_id, row, lang, filters), scope="row"),
                     *[html.Td(cell, className="num") for cell in row.cells]])
            for row in table.rows]
    # A region that scrolls must be reachable by keyboard (axe scrollable-region-focusable), named for its chart.
    label = f"{title}: {t('show_table', lang).lower()}"  # not the card's own name (landmark-unique)
    return html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": label}, children=[
        html.Table(className="data-table chart-data", children=[
            html.Caption(title, className="visually-hidden"), html.Thead(head), html.Tbody(body)]),
        *[html.P(note, className="note") for note in table.notes],
    ])


def _row_header(chart_id: str, row: Row, lang: str, filters: Mapping[str, tuple[str, ...]]) -> object:
    if row.filter is None:
        return row.label
    dimension, code = row.filter
    if dimension not in FILTER_DIMENSIONS or code == REST_CODE:
        return row.label
    pressed = code in filters.get(dimension, ())
    return html.Button(row.label, className="row-filter", title=t("filter_by_row", lang),
                       id={"type": "row-filter", "chart": chart_id, "dimension": dimension, "code": code},
                       **{"aria-pressed": "true" if pressed else "false"})


def kpi_card(kpi_id: str, name: str, value: str, *, change: str = "", change_sign: int = 0,
             target: str = "", progress: float | None = None, trace_lang: str | None = None) -> html.Div:
    """A headline figure with its change against the comparison period and progress to target.

    `trace_lang`: the card of a catalogue metric gets a "where does this come from" button in that language.
    """
    change_class = {1: "up", -1: "down"}.get(change_sign, "flat")
    bar = []
    if progress is not None:
        bar = [html.Div(className="progress", children=html.Div(
            className="progress-fill" + (" done" if progress >= 1 else ""),
            style={"width": f"{min(progress, 1) * 100:.0f}%"},
        ))]
    return html.Div(className="card kpi", id=f"kpi-{kpi_id}", children=[
        html.Div(name, className="kpi-name"),
        html.Div(value, className="kpi-value", id=f"kpi-value-{kpi_id}"),
        html.Div(change, className=f"kpi-change {change_class}"),
        *bar,
        html.Div(target, className="kpi-target"),
        *([trace_button(kpi_id, name, trace_lang, f"kpi-{kpi_id}")] if trace_lang and kpi_id in METRICS_BY_NAME
          else []),
    ])


def notice(text: str, kind: str = "info") -> html.Div:
    return html.Div(text, className=f"notice notice-{kind}")
