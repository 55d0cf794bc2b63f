"""Definitions: what every figure and dimension means, from the metric layer's definitions (one source)."""

from __future__ import annotations

from dash import html

from dashboard.pages.base import Chart, PageContext
from pipelines.metrics.definitions import DIMENSIONS, METRICS


def header(ctx: PageContext) -> html.Div:
    cs = ctx.lang == "cs"
    metric_rows = [html.Tr([html.Td(m.label_cs if cs else m.label_en, className="term"),
                            html.Td(m.definition_cs if cs else m.definition_en), html.Td(html.Code(m.name))])
                   for m in METRICS]
    dimension_rows = [html.Tr([html.Td(d.label_cs if cs else d.label_en, className="term"),
                               html.Td(d.definition_cs if cs else d.definition_en), html.Td(html.Code(d.name))])
                      for d in DIMENSIONS]
    heads = ("Název", "Význam", "Kód") if cs else ("Name", "Meaning", "Code")
    return html.Div([
        html.Div(className="card", children=[
            html.H2("Ukazatele" if cs else "Metrics"),
            html.Table(className="data-table definitions", children=[
                html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(metric_rows)]),
        ]),
        html.Div(className="card", children=[
            html.H2("Členění a filtry" if cs else "Dimensions and filters"),
            html.Table(className="data-table definitions", children=[
                html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(dimension_rows)]),
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
