"""What every page is made of: a context (view, period, privacy, data) and chart specifications.

A chart is declared once (id, title, how to load its figures, how to draw them) so that the
page, the CSV/XLSX export and the click-to-filter all use the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.figures import top_n_with_rest
from dashboard.data import ChartData, WarehouseSource
from dashboard.state.url import Period, ViewState
from pipelines.metrics import MetricQuery
from pipelines.targets import ProjectTargets


@dataclass(frozen=True)
class PageContext:
    source: WarehouseSource
    view: ViewState
    period: Period
    comparison: Period | None
    suppress: bool
    targets: ProjectTargets
    geojson: dict[str, Any] | None = None
    comparison_has_data: bool = True  # False: the comparison period lies before the data

    @property
    def lang(self) -> str:
        return self.view.lang

    def figures(self, metrics: tuple[str, ...], by: tuple[str, ...] = (), *,
                where: Mapping[str, tuple[str, ...]] | None = None, period: Period | None = None) -> ChartData:
        """Metrics for the view's period and filters (plus `where`), suppressed when privacy is on."""
        chosen = period or self.period
        filters = dict(self.view.filters)
        filters.update(where or {})
        return self.source.figures(MetricQuery(
            date_from=chosen.date_from, date_to=chosen.date_to, metrics=metrics, by=by,
            where=filters, suppress=self.suppress,
        ))


Loader = Callable[[PageContext], ChartData]
Drawer = Callable[[ChartData, PageContext], go.Figure]


@dataclass(frozen=True)
class Chart:
    id: str
    title: tuple[str, str]  # (Czech, English)
    load: Loader
    draw: Drawer
    wide: bool = False  # spans the whole content width

    def title_in(self, lang: str) -> str:
        return self.title[0] if lang == "cs" else self.title[1]


def ranked_with_rest(ctx: PageContext, metric: str, dimension: str, top_n: int) -> ChartData:
    """The top values of a dimension, then the rest as ONE figure computed by the metric API.

    Unique people are not additive, and suppressed cells are null: the rest is never a sum of rows.
    """
    data = ctx.figures((metric,), (dimension,))
    ordered = data.frame.sort([metric, dimension], descending=[True, False], nulls_last=True)  # ties: by code
    if ordered.height <= top_n + 1:
        return ChartData(ordered, data.published, data.hidden, data.ignored_filters)
    rest_codes = tuple(str(code) for code in ordered[dimension].to_list()[top_n:])
    rest = ctx.figures((metric,), where={dimension: rest_codes})
    grouped = top_n_with_rest(ordered, dimension, metric, top_n, rest=rest.value(metric), rest_flag=rest.flag(metric))
    return ChartData(grouped, data.published, data.hidden or rest.hidden, data.ignored_filters)


def in_order(data: ChartData, dimension: str, order: tuple[str, ...]) -> ChartData:
    """Rows in a fixed order of codes (bands), codes outside it last."""
    rank = {code: index for index, code in enumerate(order)}
    frame = data.frame.with_columns(
        pl.col(dimension).replace_strict(rank, default=len(order), return_dtype=pl.Int64).alias("__rank")
    ).sort("__rank").drop("__rank")
    return ChartData(frame, data.published, data.hidden, data.ignored_filters)
