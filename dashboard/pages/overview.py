"""Overview: headline figures against the comparison period and the targets, and the monthly trend."""

from __future__ import annotations

from dash import html

from charts import figures
from dashboard.components import kpi_card
from dashboard.data import ChartData
from dashboard.i18n import t
from dashboard.pages.base import Chart, PageContext
from pipelines.formatting import fmt_int, fmt_percent, fmt_period
from pipelines.metrics.catalogue import metric_name
from pipelines.metrics.periods import no_comparison_data

KPI_METRICS = (
    "clients_reached", "new_clients", "contacts", "service_hours", "course_participants", "clients_with_outcome",
)
_DIGITS = {"service_hours": 1}


def _number(value: float | None, flag: str, metric: str, lang: str) -> str:
    # Protected sums are whole (rounded in the metric layer): no decimal to show then.
    digits = _DIGITS.get(metric, 0) if isinstance(value, float) else 0
    return figures.format_value(value, flag, lang, digits=digits)


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    current = ctx.figures(KPI_METRICS)
    previous = ctx.figures(KPI_METRICS, period=ctx.comparison) if ctx.comparison else None
    cards = []
    for metric in KPI_METRICS:
        value, flag = current.value(metric), current.flag(metric)
        change, sign = _change(value, previous, metric, ctx)
        target_text, progress = _target(value, metric, ctx)
        cards.append(kpi_card(metric, metric_name(metric, lang), _number(value, flag, metric, lang),
                              change=change, change_sign=sign, target=target_text, progress=progress,
                              trace_lang=lang))
    notes = []
    if current.hidden or (previous is not None and previous.hidden):
        notes.append(html.Div(t("privacy_hidden", lang), className="note note-privacy"))
    return html.Div([html.Div(cards, className="kpi-row"), *notes])


def _change(value: float | None, previous: ChartData | None, metric: str, ctx: PageContext) -> tuple[str, int]:
    lang = ctx.lang
    if previous is None or ctx.comparison is None:
        return t("no_comparison", lang), 0
    period = fmt_period(ctx.comparison.date_from, ctx.comparison.date_to, lang)
    if not ctx.comparison_has_data:
        return f"{no_comparison_data(lang)} ({period})", 0
    before = previous.value(metric)
    if value is None or before is None:
        shown = _number(before, previous.flag(metric), metric, lang)
        return f"{t('versus', lang)} {shown} ({period})", 0
    if before == 0:
        return f"{t('versus', lang)} 0 ({period})", 1 if value > 0 else 0
    share = (value - before) / before
    sign = 1 if share > 0 else -1 if share < 0 else 0
    arrow = {1: "▲", -1: "▼", 0: "■"}[sign]
    text = fmt_percent(abs(share), lang)
    return f"{arrow} {text} {t('versus', lang)} {_number(before, '', metric, lang)} ({period})", sign


def _target(value: float | None, metric: str, ctx: PageContext) -> tuple[str, float | None]:
    """Progress against the pro-rata target; targets are for the whole project, so not under filters."""
    lang = ctx.lang
    target = ctx.targets.pro_rata(metric, ctx.period.date_from, ctx.period.date_to)
    if target is None or target <= 0:
        return t("no_target", lang), None
    target_text = fmt_int(target, lang)
    if ctx.view.filters:
        filtered = "cíl platí bez filtrů" if lang == "cs" else "target applies without filters"
        return f"{t('target', lang)} {target_text} ({filtered})", None
    if value is None:
        return f"{t('target', lang)} {target_text}", None
    progress = value / target
    return f"{fmt_percent(progress, lang)} {t('of_target', lang)} ({t('target', lang)} {target_text})", progress


def _trend(ctx: PageContext) -> ChartData:
    return ctx.figures(("clients_reached",), ("month", "target_group"))


CHARTS = (
    Chart(
        "trend-target-group", (
            "Oslovení klienti po měsících podle cílové skupiny", "Clients reached by month and target group"),
        _trend,
        lambda data, ctx: figures.trend_by_group(data.frame, ctx.lang),
        wide=True,
    ),
)
