"""The one "top N and the rest" rule of every chart, export and report.

A ranked table shows the N largest values of a dimension and one row `REST_CODE` ("Other") for
the others. The rest is a cell of its own, computed from the data: the same metric without the
shown values (`MetricQuery.exclude`), so a person in two of them counts once, and protected as
any other cell (its own cell key: the sum of its own people's keys). It is never the total minus
the shown rows, nor a sum of the other rows: unique people are not additive, and perturbed
figures need not add up.

Rows whose figure is not shown (`x`) never lead; they join the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import polars as pl

from pipelines.metrics.catalogue import REST_CODE
from pipelines.metrics.protection import SHOWN
from pipelines.metrics.query import MetricQuery
from pipelines.metrics.result import MetricResult

TOP_N = 10  # rows a ranked chart shows before "Other"

Runner = Callable[[MetricQuery], MetricResult]


def ranked(frame: pl.DataFrame, dimension: str, metric: str) -> pl.DataFrame:
    """Largest first, equal values by code (the same order on every reload), hidden values after
    the shown ones, the rest row last."""
    rest_last = pl.col(dimension).cast(pl.String).eq(REST_CODE).fill_null(False)
    return frame.sort([rest_last, pl.col(metric), pl.col(dimension)], descending=[False, True, False],
                      nulls_last=True)


def top_n_with_rest(run: Runner, query: MetricQuery, dimension: str, top_n: int = TOP_N) -> MetricResult:
    """`query` (by the one `dimension`) as its top `top_n` rows and one rest row, ranked by its first metric.

    With at most one row more than `top_n` every row is shown as it is (a rest of one row is that row).
    """
    if tuple(query.by) != (dimension,):
        raise ValueError(f"a top-N table is grouped by its one dimension {dimension!r}, not by {query.by!r}")
    whole = run(query)
    metric = whole.metrics[0]
    flags = {m: f"__flag_{m}" for m in whole.metrics}
    joined = pl.concat([whole.frame, whole.flags.rename(flags)], how="horizontal")
    ordered = ranked(joined, dimension, metric)
    if ordered.height <= top_n + 1:
        return _split(ordered, whole, flags)
    head = ordered.filter(pl.col(flags[metric]) == SHOWN).head(top_n)
    shown = set(head.get_column(dimension).to_list())
    rest = run(replace(query, by=(), exclude={**query.exclude, dimension: tuple(sorted(str(c) for c in shown))}))
    rest_row = pl.concat([rest.frame, rest.flags.rename(flags)], how="horizontal").with_columns(
        pl.lit(REST_CODE, dtype=pl.String).alias(dimension))
    return _split(pl.concat([head, rest_row.select(head.columns)], how="vertical_relaxed"), whole, flags)


def _split(joined: pl.DataFrame, like: MetricResult, flags: dict[str, str]) -> MetricResult:
    return MetricResult(
        by=like.by, metrics=like.metrics, protection=like.protection, sparse=like.sparse,
        people_across_centres=like.people_across_centres, frame=joined.select([*like.by, *like.metrics]),
        flags=joined.select([pl.col(flags[m]).alias(m) for m in like.metrics]),
    )
