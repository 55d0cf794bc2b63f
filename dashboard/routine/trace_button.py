"""The "where does this come from" button of KPI and chart cards (the view: dashboard/routine/trace_view.py)."""

from __future__ import annotations

from dash import html

from dashboard.routine.texts import rt


def trace_button(metric: str, label: str, lang: str, card: str) -> html.Button:
    """`label`: the card's title, so a screen reader hears which figure the button traces; `card`: the
    card's id (a KPI card and a chart may trace the same metric, and ids must be unique)."""
    return html.Button(rt("trace_button", lang), id={"type": "trace", "metric": metric, "card": card},
                       className="btn-trace",
                       **{"aria-label": f"{rt('trace_button', lang)} – {label}"})
