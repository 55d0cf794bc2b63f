"""Events: head counts by event type, audience and district (head counts never add to clients reached)."""

from __future__ import annotations

from dash import html

from charts import figures
from dashboard.components import kpi_card
from dashboard.data import ChartData
from dashboard.pages.base import Chart, Drawer, Loader, PageContext
from pipelines.metrics.catalogue import metric_name

HEADLINE = ("events", "event_attendance", "event_participants_foreign")


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    data = ctx.figures(HEADLINE)
    return html.Div([kpi_card(m, metric_name(m, lang), figures.format_value(data.value(m), data.flag(m), lang),
                              trace_lang=lang)
                     for m in HEADLINE], className="kpi-row")


def _by(dimension: str) -> Loader:
    def load(ctx: PageContext) -> ChartData:
        return ctx.figures(("event_attendance", "events"), (dimension,))
    return load


def _bars(dimension: str) -> Drawer:
    def draw(data: ChartData, ctx: PageContext) -> figures.go.Figure:
        return figures.service_bars(data.frame, ctx.lang, dimension=dimension, metrics=("event_attendance", "events"))
    return draw


CHARTS = (
    Chart("events-type", ("Účast a počet akcí podle typu", "Attendance and events by type"),
          _by("event_type"), _bars("event_type"), wide=True),
    Chart("events-audience", ("Účast a počet akcí podle publika", "Attendance and events by audience"),
          _by("audience"), _bars("audience")),
    Chart("events-district", ("Účast na akcích podle okresu konání", "Event attendance by district of the event"),
          _by("district"), lambda data, ctx: figures.district_tile_map(data.frame, "event_attendance", ctx.lang)),
)
