"""Services: contacts and hours by service, topic, mode and branch; the share of interpreted contacts."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from charts import figures
from dashboard.components import kpi_card
from dashboard.data import ChartData
from dashboard.i18n import t
from dashboard.pages.base import Chart, Drawer, Loader, PageContext
from pipelines.formatting import fmt_percent
from pipelines.metrics.catalogue import metric_name


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    data = ctx.figures(("contacts", "service_hours", "interpreted_contacts"))
    contacts, interpreted = data.value("contacts"), data.value("interpreted_contacts")
    share = interpreted / contacts if contacts and interpreted is not None else None
    cards = [
        kpi_card("contacts", metric_name("contacts", lang),
                 figures.format_value(contacts, data.flag("contacts"), lang), trace_lang=lang),
        # Whole hours, as the protected sum is published (disclosure.md) and the Overview shows it.
        kpi_card("service_hours", metric_name("service_hours", lang),
                 figures.format_value(data.value("service_hours"), data.flag("service_hours"), lang),
                 trace_lang=lang),
        kpi_card("interpreted_contacts", metric_name("interpreted_contacts", lang),
                 figures.format_value(interpreted, data.flag("interpreted_contacts"), lang), trace_lang=lang),
        kpi_card("interpreted_share", t("interpreted_share", lang), fmt_percent(share, lang, 1)),
    ]
    return html.Div(cards, className="kpi-row")


def _by(dimension: str, metrics: tuple[str, ...] = ("contacts", "service_hours")) -> Loader:
    def load(ctx: PageContext) -> ChartData:
        return ctx.figures(metrics, (dimension,))
    return load


def _draw(dimension: str) -> Drawer:
    def draw(data: ChartData, ctx: PageContext) -> go.Figure:
        return figures.service_bars(data.frame, ctx.lang, dimension=dimension)
    return draw


CHARTS = (
    Chart("services-service", ("Kontakty a hodiny podle služby", "Contacts and hours by service"),
          _by("service"), _draw("service"), wide=True),
    Chart("services-topic", ("Kontakty a hodiny podle oblasti", "Contacts and hours by topic"),
          _by("topic"), _draw("topic")),
    Chart("services-mode", ("Kontakty a hodiny podle formy", "Contacts and hours by mode"),
          _by("mode"), _draw("mode")),
    Chart("services-branch", ("Kontakty a hodiny podle pracoviště", "Contacts and hours by branch"),
          _by("branch"), _draw("branch")),
    Chart("services-interpreted", ("Tlumočené kontakty podle služby", "Interpreted contacts by service"),
          _by("service", ("interpreted_contacts",)),
          lambda data, ctx: figures.bar_by_dimension(data.frame, "service", "interpreted_contacts", ctx.lang)),
)
