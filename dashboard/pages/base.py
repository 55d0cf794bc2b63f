"""What every page is made of: a context (view, period, privacy, data) and chart specifications.

A chart is declared once (id, title, how to load its figures, how to draw them) so that the
page, the CSV/XLSX export and the click-to-filter all use the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard.data import ChartData, WarehouseSource, merge_flags
from dashboard.state.url import Period, ViewState
from pipelines.access import Scope
from pipelines.metrics import MetricQuery
from pipelines.metrics.catalogue import METRICS_BY_NAME, applies
from pipelines.metrics.protection import SHOWN, Protection
from pipelines.metrics.top_n import TOP_N, top_n_with_rest
from pipelines.targets import ProjectTargets


@dataclass(frozen=True)
class PageContext:
    source: WarehouseSource
    view: ViewState
    period: Period
    comparison: Period | None
    protection: Protection  # decided on the server from the role (callbacks.render_page)
    targets: ProjectTargets
    geojson: dict[str, Any] | None = None
    comparison_has_data: bool = True  # False: the comparison period lies before the data
    # Whose figures: the signed-in user's scope, part of every query below (no default, access.md).
    scope: Scope = field(kw_only=True)

    @property
    def lang(self) -> str:
        return self.view.lang

    def figures(self, metrics: tuple[str, ...], by: tuple[str, ...] = (), *,
                where: Mapping[str, tuple[str, ...]] | None = None, period: Period | None = None) -> ChartData:
        """Metrics for the view's period and filters (plus `where`) within the scope, protected unless exact."""
        return self.source.figures(self.query(metrics, by, where=where, period=period))

    def query(self, metrics: tuple[str, ...], by: tuple[str, ...] = (), *,
              where: Mapping[str, tuple[str, ...]] | None = None, period: Period | None = None) -> MetricQuery:
        """The metric query of `figures`."""
        chosen = period or self.period
        filters = dict(self.view.filters)
        filters.update(where or {})
        return MetricQuery(date_from=chosen.date_from, date_to=chosen.date_to, metrics=metrics, by=by,
                           where=filters, protection=self.protection, scope=self.scope)


Loader = Callable[[PageContext], ChartData]
Drawer = Callable[[ChartData, PageContext], go.Figure]


@dataclass(frozen=True)
class Chart:
    id: str
    title: tuple[str, str]  # (Czech, English)
    load: Loader
    draw: Drawer
    wide: bool = False  # spans the whole content width
    # Whether the view has this chart at all (None: always); a chart of nothing is not drawn empty.
    shown: Callable[[PageContext], bool] | None = None

    def shown_in(self, ctx: PageContext) -> bool:
        return self.shown is None or self.shown(ctx)

    def title_in(self, lang: str) -> str:
        return self.title[0] if lang == "cs" else self.title[1]


def view_centres(ctx: PageContext) -> Collection[str] | None:
    """The centres a view's figures cover: the user's centres, or (every centre) those with data; None: unknown."""
    if not ctx.scope.everything:
        return tuple(sorted(ctx.scope.centres))
    return ctx.source.present_values("centre", ctx.scope) or None


def compared_centres(ctx: PageContext) -> tuple[str, ...]:
    """The centres the view covers (the user's or those with data, narrowed by the centre filter)."""
    covered = view_centres(ctx) or ()
    chosen = ctx.view.filters.get("centre")
    return tuple(sorted(c for c in covered if not chosen or c in chosen))


def ranked_with_rest(ctx: PageContext, metric: str, dimension: str, top_n: int = TOP_N) -> ChartData:
    """The top values of a dimension and the rest as ONE figure: the metric layer's rule
    (pipelines/metrics/top_n.py), on the chart, its table view and its export alike."""
    filters = dict(ctx.view.filters)
    usable = {d: v for d, v in filters.items() if applies(METRICS_BY_NAME[metric], d)}
    query = MetricQuery(date_from=ctx.period.date_from, date_to=ctx.period.date_to, metrics=(metric,),
                        by=(dimension,), where=usable, protection=ctx.protection, scope=ctx.scope)
    with ctx.source.pinned():  # the rows and the rest come from one build
        result = top_n_with_rest(ctx.source.compute, query, dimension, top_n)
    hidden = any(flag != SHOWN for flag in result.flags.get_column(metric).to_list())
    return ChartData(merge_flags(result), result.published(), hidden, tuple(sorted(set(filters) - set(usable))),
                     sparse=result.sparse, summed=result.people_summed_over_centres)


def in_order(data: ChartData, dimension: str, order: tuple[str, ...]) -> ChartData:
    """Rows in a fixed order of codes (bands), codes outside it last."""
    rank = {code: index for index, code in enumerate(order)}
    frame = data.frame.with_columns(
        pl.col(dimension).replace_strict(rank, default=len(order), return_dtype=pl.Int64).alias("__rank")
    ).sort("__rank").drop("__rank")
    return ChartData(frame, data.published, data.hidden, data.ignored_filters, sparse=data.sparse, summed=data.summed)
