"""Project to date: per target metric, the cumulative figure from the project's start to the end of
each month, the straight-line pace to the target and a projection to the project's end.

Every month's figure is that of the period project start .. end of the month, so unique people
are counted once over the whole span, never summed over months. All months come from one metric
query per group of filters, grouped by the cumulative month (pipelines.metrics.query.TO_MONTH),
whose group of a month is the same population, cell key, protection and flags as a one-period
query of its span; the caller's compute function, protection, scope and filters apply as to any
figure (a protected figure is perturbed and may be hidden like every other; a filter that does
not apply to a metric is left out for it and reported). The rules (docs/decisions.md, "Targets
per centre and the project to date"):

- pace at month m = the target pro rata to the project days from the start to the end of m
  (`ProjectTargets.pro_rata`), none where the target is missing or does not add up, and none
  under filters or for a scope of some districts (targets are for whole centres);
- the cumulative figure is given for the months up to `through` (the last date with data), the
  later project months have none (no data yet, not zero);
- projection = the latest cumulative figure / the elapsed share of the project's days at the
  end of that month (the rate so far, kept up to the project's end); none when it is hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.access import Scope
from pipelines.metrics import MetricQuery, MetricResult, Protection
from pipelines.metrics.catalogue import METRICS_BY_NAME, applies
from pipelines.metrics.periods import months_touched
from pipelines.metrics.protection import SHOWN
from pipelines.metrics.query import TO_MONTH
from pipelines.targets import ProjectTargets

Compute = Callable[[MetricQuery], MetricResult]


@dataclass(frozen=True)
class MetricToDate:
    metric: str
    target: float | None  # for the whole project; None: no target, or several that do not add up
    not_additive: bool  # several projects' targets of unique people (pipelines.targets.additive)
    cumulative: tuple[float | None, ...]  # per month with data (from the first): None where not shown
    flags: tuple[str, ...]  # per month with data: "" shown, else the metric layer's flag
    pace: tuple[float | None, ...]  # per project month
    projection: float | None  # at the project's end


@dataclass(frozen=True)
class ProjectToDate:
    date_from: date
    date_to: date
    months: tuple[str, ...]  # every month of the project (YYYY-MM)
    month_ends: tuple[date, ...]  # the last project day of each month
    metrics: tuple[MetricToDate, ...]
    sparse: bool = False  # some query's population was too small to publish (protection.SPARSE_NOTICE)
    ignored_filters: tuple[str, ...] = ()  # filters left out for some metric (they do not apply to it)
    with_targets: bool = True  # False under filters or a scope of some districts: no pace, no target

    @property
    def data_months(self) -> int:
        """How many project months, from the first, carry cumulative figures."""
        return len(self.metrics[0].cumulative) if self.metrics else 0

    @property
    def hidden(self) -> bool:
        return any(flag != SHOWN for m in self.metrics for flag in m.flags)

    def frame(self) -> pl.DataFrame:
        """One row per (month, metric): cumulative (null where hidden or no data), its flag, pace,
        projection and the target (on the project's last month only), whether the targets do not add up."""
        rows = []
        last = len(self.months) - 1
        for item in self.metrics:
            for index, month in enumerate(self.months):
                has_data = index < len(item.cumulative)
                rows.append({
                    "month": month, "metric": item.metric,
                    "cumulative": item.cumulative[index] if has_data else None,
                    "cumulative__flag": item.flags[index] if has_data else "",
                    "pace": item.pace[index],
                    "projection": item.projection if index == last else None,
                    "target": item.target if index == last else None,
                    "not_additive": item.not_additive,
                })
        schema = {"month": pl.String, "metric": pl.String, "cumulative": pl.Float64, "cumulative__flag": pl.String,
                  "pace": pl.Float64, "projection": pl.Float64, "target": pl.Float64, "not_additive": pl.Boolean}
        return pl.DataFrame(rows, schema=schema)

    def published(self) -> pl.DataFrame:
        """The frame as published: "x" where a figure is not shown, "" where there is none; pace,
        projection and target rounded to whole numbers (they are planning figures, not counts)."""
        frame = self.frame()

        def whole(column: str) -> pl.Expr:
            return pl.col(column).round(0).cast(pl.Int64).cast(pl.String).fill_null("")

        return frame.select(
            "month", "metric",
            pl.when(pl.col("cumulative__flag") != SHOWN).then(pl.col("cumulative__flag"))
            .otherwise(pl.col("cumulative").cast(pl.String).fill_null("")).alias("cumulative"),
            whole("pace").alias("pace"), whole("projection").alias("projection"), whole("target").alias("target"),
            pl.col("not_additive").cast(pl.String).alias("not_additive"),
        )


def month_ends(date_from: date, date_to: date) -> tuple[tuple[str, date], ...]:
    """(YYYY-MM, last day of that month within the span) for every month the span touches."""
    return tuple((month, min(end, date_to)) for month, end in months_touched(date_from, date_to))


def projection(latest: float | None, date_from: date, latest_end: date, date_to: date) -> float | None:
    """The latest cumulative figure kept at its rate so far up to the project's end."""
    if latest is None or latest_end < date_from:
        return None
    elapsed = (min(latest_end, date_to) - date_from).days + 1
    return latest * ((date_to - date_from).days + 1) / elapsed


def project_to_date(compute: Compute, targets: ProjectTargets, *, scope: Scope,
                    protection: Protection = Protection.PROTECTED, centres: Collection[str] | None = None,
                    through: date | None = None,
                    where: Mapping[str, tuple[str, ...]] | None = None) -> ProjectToDate | None:
    """The project to date of `centres`' projects (None: every project in `targets`), with figures
    within `scope` (and `where`, the filters) from the project's start up to `through` (None: the
    project's end).

    None when no project of those centres has targets. With several projects the span runs from
    the first start to the last end and the targets are combined as pipelines.targets does.
    """
    selection = targets.for_centres(centres)
    if selection is None:
        return None
    start, end = selection.period_from, selection.period_to
    metrics = tuple(dict.fromkeys(m for p in selection.projects for m in p.targets))
    filters = dict(where or {})
    groups: dict[tuple[str, ...], list[str]] = {}  # the filters that apply -> the metrics they apply to
    for metric in metrics:
        groups.setdefault(tuple(d for d in filters if applies(METRICS_BY_NAME[metric], d)), []).append(metric)
    ignored = tuple(sorted({d for usable in groups for d in filters if d not in usable}))
    with_targets = not filters and not scope.districts
    months = month_ends(start, end)
    last = min(through or end, end)
    with_data = [(month, month_end) for month, month_end in months if date(*map(int, month.split("-")), 1) <= last]
    values: dict[str, list[float | None]] = {m: [] for m in metrics}
    flags: dict[str, list[str]] = {m: [] for m in metrics}
    sparse = False
    for usable, names in groups.items() if with_data else ():
        result = compute(MetricQuery(date_from=start, date_to=min(with_data[-1][1], last), metrics=tuple(names),
                                     by=(TO_MONTH,), where={d: filters[d] for d in usable}, protection=protection,
                                     scope=scope))
        if result.frame[TO_MONTH].to_list() != [month for month, _ in with_data]:
            raise AssertionError("the cumulative query's months are not the project's months with data")
        sparse = sparse or result.sparse
        for metric in names:
            values[metric] = result.frame[metric].to_list()
            flags[metric] = result.flags[metric].to_list()
    items = []
    for metric in metrics:
        whole = selection.for_view(metric, None, start, end)
        latest_end = min(with_data[-1][1], last) if with_data else start
        pace = tuple(selection.pro_rata(metric, start, month_end) if with_targets else None for _, month_end in months)
        items.append(MetricToDate(
            metric=metric, target=whole.value if with_targets else None,
            not_additive=whole.not_additive and with_targets,
            cumulative=tuple(values[metric]), flags=tuple(flags[metric]), pace=pace,
            projection=projection(values[metric][-1], start, latest_end, end) if with_data else None,
        ))
    return ProjectToDate(start, end, tuple(m for m, _ in months), tuple(e for _, e in months), tuple(items),
                         sparse=sparse, ignored_filters=ignored, with_targets=with_targets)
