"""Definitions: what every figure and dimension means, from the metric layer's definitions (one source)."""

from __future__ import annotations

from dash import html

from dashboard.pages.base import Chart, PageContext
from pipelines.metrics.catalogue import DIMENSIONS, METRICS, dimension_name, metric_name

Row = tuple[str, str, str]  # (name, meaning, code)


def metric_rows(lang: str) -> list[Row]:
    """Every metric of the catalogue as the page lists it."""
    return [(metric_name(m.name, lang), m.definition(lang), m.name) for m in METRICS]


def dimension_rows(lang: str) -> list[Row]:
    return [(dimension_name(d.name, lang), d.definition(lang), d.name) for d in DIMENSIONS]


def _table_rows(rows: list[Row]) -> list[html.Tr]:
    return [html.Tr([html.Td(name, className="term"), html.Td(meaning), html.Td(html.Code(code))])
            for name, meaning, code in rows]


def header(ctx: PageContext) -> html.Div:
    cs = ctx.lang == "cs"
    heads = ("Název", "Význam", "Kód") if cs else ("Name", "Meaning", "Code")
    return html.Div([
        html.Div(className="card", children=[
            html.H2("Ukazatele" if cs else "Metrics"),
            html.Table(className="data-table definitions", children=[
                html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(_table_rows(metric_rows(ctx.lang)))]),
        ]),
        html.Div(className="card", children=[
            html.H2("Členění a filtry" if cs else "Dimensions and filters"),
            html.Table(className="data-table definitions", children=[
                html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(_table_rows(dimension_rows(ctx.lang)))]),
        ]),
        html.Div(className="card", children=[
            html.H2("Ochrana malých čísel" if cs else "Small-number protection"),
            html.P(
                "Je-li ochrana zapnuta, počet osob 1 až 4 se zobrazuje jako <5 a další buňky se skryjí (x), "
                "aby skrytou hodnotu nešlo dopočítat ze součtů. 0 se zobrazuje jako 0. Platí pro grafy i exporty."
                if cs else
                "When protection is on, counts of 1 to 4 people are shown as <5 and further cells are hidden (x) "
                "so that no hidden value can be worked out from the totals. 0 is shown as 0. This applies to "
                "charts and exports alike."),
        ]),
    ])


CHARTS: tuple[Chart, ...] = ()
