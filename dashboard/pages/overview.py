"""Overview: headline figures against the comparison period and the targets, the project to date
and the monthly trend."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import polars as pl
from dash import html

from charts import figures
from dashboard.auth import current_role
from dashboard.components import kpi_card
from dashboard.data import ChartData
from dashboard.delivery_calendar import overview_calendar
from dashboard.i18n import t
from dashboard.pages.base import Chart, PageContext, compared_centres, view_centres
from dashboard.state.pages import page_allowed
from pipelines.formatting import fmt_int, fmt_percent, fmt_period
from pipelines.metrics.catalogue import METRICS_BY_NAME, metric_name
from pipelines.metrics.periods import no_comparison_data
from pipelines.project_to_date import ProjectToDate, project_to_date
from pipelines.reference.centres import centre

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
    notes.append(html.Div(t("project_to_date_note", lang), className="note", id="project-to-date-note"))
    # Who has delivered, for those who see several centres but not Data quality (the ministry first).
    delivered = overview_calendar(ctx, page_allowed("quality", current_role()))
    return html.Div([html.Div(cards, className="kpi-row"), *notes, *delivered])


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
    """Progress against the pro-rata target of the view's centres (pipelines/targets.py: counts and sums
    of several centres add up, unique people do not); targets are for whole centres, so not under filters."""
    lang = ctx.lang
    view = ctx.targets.for_view(metric, view_centres(ctx), ctx.period.date_from, ctx.period.date_to)
    if view.not_additive:
        why = f" ({t('target_unique_people', lang)})" if METRICS_BY_NAME[metric].is_unique_people else ""
        return f"{t('target_not_additive', lang)}{why}", None
    target = view.value
    if target is None or target <= 0:
        return t("no_target", lang), None
    target_text = fmt_int(target, lang)
    if view.summed:
        target_text += f" ({t('target_sum', lang).format(count=len({p.centre for p in view.projects}))})"
    if ctx.view.filters:
        filtered = "cíl platí bez filtrů" if lang == "cs" else "target applies without filters"
        return f"{t('target', lang)} {target_text} ({filtered})", None
    if ctx.scope.districts:  # a district-scoped account sees part of its centre
        return f"{t('target', lang)} {target_text} ({t('target_scope', lang)})", None
    if view.uncovered:  # some centres of the view have no target: no progress against a part
        uncovered = t("target_uncovered", lang).format(centres=", ".join(view.uncovered))
        return f"{t('target', lang)} {target_text} ({uncovered})", None
    if value is None:
        return f"{t('target', lang)} {target_text}", None
    progress = value / target
    return f"{fmt_percent(progress, lang)} {t('of_target', lang)} ({t('target', lang)} {target_text})", progress


def _through(ctx: PageContext) -> date | None:
    """The last day of the latest month with data within the scope (None: no data)."""
    months = ctx.source.data_months(ctx.scope)
    if not months:
        return None
    year, month = map(int, months[-1].split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def project_figures(ctx: PageContext) -> ProjectToDate | None:
    """The project to date of the view's centres, protected as the page is, within the user's scope."""
    through = _through(ctx)
    with ctx.source.pinned():  # every month's figure from one build
        return project_to_date(
            ctx.source.compute, ctx.targets, scope=ctx.scope, protection=ctx.protection,
            centres=view_centres(ctx), where=ctx.view.filters,
            through=through if through is not None else ctx.targets.period_from - timedelta(days=1),
        )


def _project_to_date(ctx: PageContext) -> ChartData:
    result = project_figures(ctx)
    empty = pl.DataFrame(schema={"month": pl.String, "metric": pl.String, "cumulative": pl.Float64})
    if result is None:
        return ChartData(empty, empty, False)
    frame = result.frame()
    if result.sparse and frame["cumulative"].drop_nulls().is_empty():  # too few people: no figure, say why
        return ChartData(empty, empty, False, result.ignored_filters, sparse=True)
    return ChartData(frame, result.published(), result.hidden, result.ignored_filters, sparse=False)


def _compares_centres(ctx: PageContext) -> bool:
    """The comparison of centres is drawn only for a view of two or more (one centre: the Overview as ever)."""
    return len(compared_centres(ctx)) >= 2


def _fulfilment(reached: float | None, centre_code: str, ctx: PageContext) -> float | None:
    """Clients reached against the centre's own pro-rata target, as the KPI card judges it: none under
    filters or a district scope (targets are for whole centres), none without a target."""
    if reached is None or ctx.view.filters or ctx.scope.districts:
        return None
    view = ctx.targets.for_view("clients_reached", (centre_code,), ctx.period.date_from, ctx.period.date_to)
    if view.not_additive or view.uncovered or view.value is None or view.value <= 0:
        return None
    return reached / view.value


def _comparison(ctx: PageContext) -> ChartData:
    """Per centre: clients reached and new clients, reach per 1,000 foreign residents of the centre's region
    (the metric's row of clients living in that region, its denominator from the warehouse's dim_region)
    and target fulfilment; every figure from the metric layer, protected as the page is."""
    centres = compared_centres(ctx)
    counts = ctx.figures(("clients_reached", "new_clients"), ("centre",))
    rates = ctx.figures(("reach_per_1000_foreign",), ("centre", "region"))
    home_region = {code: centre(code).region_code for code in centres}

    def own_region(frame: pl.DataFrame) -> pl.DataFrame:
        keep = [home_region.get(c) == r for c, r in zip(frame["centre"].to_list(), frame["region"].to_list(),
                                                        strict=True)]
        return frame.filter(pl.Series(keep, dtype=pl.Boolean)).drop("region")

    def joined(count_frame: pl.DataFrame, rate_frame: pl.DataFrame) -> pl.DataFrame:
        frame = count_frame.filter(pl.col("centre").is_in(centres))
        return frame.join(own_region(rate_frame), on="centre", how="left", maintain_order="left")

    frame = joined(counts.frame, rates.frame)
    shares = [_fulfilment(v, c, ctx) for c, v in zip(frame["centre"].to_list(), frame["clients_reached"].to_list(),
                                                    strict=True)]
    frame = frame.with_columns(pl.Series(figures.FULFILMENT, shares, dtype=pl.Float64))
    published = joined(counts.published, rates.published).with_columns(pl.Series(
        figures.FULFILMENT, ["" if v is None else f"{v:.4f}" for v in shares], dtype=pl.String))
    return ChartData(frame, published, counts.hidden or rates.hidden,
                     tuple(sorted(set(counts.ignored_filters) | set(rates.ignored_filters))),
                     sparse=counts.sparse)


def _trend(ctx: PageContext) -> ChartData:
    return ctx.figures(("clients_reached",), ("month", "target_group"))


CHARTS = (
    Chart(
        "project-to-date", (
            "Projekt od začátku: kumulativně, tempo k cíli a projekce",
            "Project to date: cumulative, pace to target and projection"),
        _project_to_date,
        lambda data, ctx: figures.project_to_date(data.frame, ctx.lang),
        wide=True,
    ),
    Chart(
        "centre-comparison", ("Srovnání center", "Comparison of centres"),
        _comparison,
        lambda data, ctx: figures.centre_comparison(data.frame, ctx.lang),
        wide=True, shown=_compares_centres,
    ),
    Chart(
        "trend-target-group", (
            "Oslovení klienti po měsících podle cílové skupiny", "Clients reached by month and target group"),
        _trend,
        lambda data, ctx: figures.trend_by_group(data.frame, ctx.lang),
        wide=True,
    ),
)
