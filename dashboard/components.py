"""Reusable pieces of page layout: chart cards with export buttons, KPI cards, notices."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

from dashboard.i18n import dimension_name, t


def graph_config(lang: str) -> dict[str, object]:
    """Plotly config: Czech locale served from assets, no mode bar."""
    return {
        "locale": lang,
        "displaylogo": False,
        "displayModeBar": False,  # exports are the card's CSV/XLSX buttons; the bar covered labels
    }


def chart_card(chart_id: str, title: str, figure: go.Figure, lang: str, *, hidden: bool = False,
               ignored_filters: tuple[str, ...] = (), wide: bool = False) -> html.Div:
    notes = []
    if hidden:
        notes.append(html.Div(t("privacy_hidden", lang), className="note note-privacy"))
    if ignored_filters:
        names = ", ".join(dimension_name(d, lang) for d in ignored_filters)
        text = (f"Filtr {names} se na tento graf nevztahuje." if lang == "cs"
                else f"The filter {names} does not apply to this chart.")
        notes.append(html.Div(text, className="note"))
    return html.Div(className="card chart-card" + (" wide" if wide else ""), children=[
        html.Div(className="card-head", children=[
            html.H3(title),
            html.Div(className="exports", children=[
                html.Button(t("export_csv", lang), id={"type": "export", "chart": chart_id, "fmt": "csv"},
                            className="btn-export", title=f"{title} (CSV)"),
                html.Button(t("export_xlsx", lang), id={"type": "export", "chart": chart_id, "fmt": "xlsx"},
                            className="btn-export", title=f"{title} (XLSX)"),
            ]),
        ]),
        dcc.Graph(id={"type": "chart", "chart": chart_id}, figure=figure, config=graph_config(lang)),
        *notes,
    ])


def kpi_card(kpi_id: str, name: str, value: str, *, change: str = "", change_sign: int = 0,
             target: str = "", progress: float | None = None) -> html.Div:
    """A headline figure with its change against the comparison period and progress to target."""
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
    ])


def notice(text: str, kind: str = "info") -> html.Div:
    return html.Div(text, className=f"notice notice-{kind}")
