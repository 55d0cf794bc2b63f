"""Outcomes: by type and nationality, share of reached clients with an outcome, time to outcome."""

from __future__ import annotations

from dash import html

from charts import figures
from dashboard.components import kpi_card
from dashboard.data import ChartData
from dashboard.i18n import t
from dashboard.pages.base import Chart, Loader, PageContext, in_order, ranked_with_rest
from pipelines.formatting import fmt_decimal, fmt_percent
from pipelines.metrics.catalogue import dimension_values, metric_name


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    data = ctx.figures(("outcomes", "clients_with_outcome", "clients_reached", "median_days_to_outcome"))
    with_outcome, reached = data.value("clients_with_outcome"), data.value("clients_reached")
    share = with_outcome / reached if reached and with_outcome is not None else None
    median = data.value("median_days_to_outcome")
    cards = [
        kpi_card("outcomes", metric_name("outcomes", lang),
                 figures.format_value(data.value("outcomes"), data.flag("outcomes"), lang), trace_lang=lang),
        kpi_card("clients_with_outcome", metric_name("clients_with_outcome", lang),
                 figures.format_value(with_outcome, data.flag("clients_with_outcome"), lang), trace_lang=lang),
        kpi_card("outcome_share", t("outcome_share", lang), fmt_percent(share, lang)),
        kpi_card("median_days", t("median_days", lang), fmt_decimal(median, lang, 0) if median is not None
                 else figures.format_value(None, data.flag("median_days_to_outcome"), lang)),
    ]
    return html.Div(cards, className="kpi-row")


def _by(metric: str, dimension: str) -> Loader:
    def load(ctx: PageContext) -> ChartData:
        return ctx.figures((metric,), (dimension,))
    return load


CHARTS = (
    Chart("outcomes-type", ("Výsledky podle typu", "Outcomes by type"), _by("outcomes", "outcome"),
          lambda data, ctx: figures.outcome_bars(data.frame, ctx.lang), wide=True),
    Chart("outcomes-nationality", ("Klienti s výsledkem podle státní příslušnosti",
                                   "Clients with an outcome by nationality"),
          lambda ctx: ranked_with_rest(ctx, "clients_with_outcome", "nationality"),
          lambda data, ctx: figures.bar_by_dimension(data.frame, "nationality", "clients_with_outcome", ctx.lang,
                                                     sort=False)),
    Chart("outcomes-days", ("Výsledky podle doby od registrace (dny)", "Outcomes by days since registration"),
          lambda ctx: in_order(_by("outcomes", "days_to_outcome_band")(ctx), "days_to_outcome_band",
                               dimension_values("days_to_outcome_band")),
          lambda data, ctx: figures.bar_by_dimension(data.frame, "days_to_outcome_band", "outcomes", ctx.lang,
                                                     sort=False)),
)
