"""The dashboard's only door to the warehouse: read-only, reopened when a new build is published.

Figures come from `pipelines.metrics.compute`; the data-quality page reads the ops marts.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import polars as pl

from dashboard.figures import flag_column
from pipelines.home import Home
from pipelines.metrics import MetricQuery, MetricResult, compute, open_warehouse
from pipelines.metrics.definitions import METRICS_BY_NAME, applies

EARLIEST = date(2000, 1, 1)  # before any export this product will see


@dataclass(frozen=True)
class ChartData:
    """Figures for one chart: values (null where hidden) with `<metric>__flag` columns, and as published."""

    frame: pl.DataFrame
    published: pl.DataFrame
    hidden: bool  # some value is shown as <5 or hidden
    ignored_filters: tuple[str, ...] = ()  # filters that do not apply to these metrics

    def value(self, metric: str) -> float | None:
        return self.frame[metric][0] if self.frame.height and metric in self.frame.columns else None

    def flag(self, metric: str) -> str:
        column = flag_column(metric)
        return (self.frame[column][0] or "") if self.frame.height and column in self.frame.columns else ""


def merge_flags(result: MetricResult) -> pl.DataFrame:
    """The result's values with one `<metric>__flag` column per metric beside them."""
    flags = result.flags.select([pl.col(m).alias(flag_column(m)) for m in result.metrics])
    return pl.concat([result.frame, flags], how="horizontal")


class WarehouseSource:
    """A read-only connection to <home>/warehouse.duckdb that follows `reach build`'s atomic replace."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int] | None = None
        self._months: tuple[tuple[int, int] | None, list[str]] | None = None

    def published(self) -> bool:
        return self.home.warehouse_db.exists()

    def built_at(self) -> datetime | None:
        path = self.home.warehouse_db
        return datetime.fromtimestamp(path.stat().st_mtime) if path.exists() else None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the current file; a replaced file (new inode or mtime) is reopened first."""
        stat = os.stat(self.home.warehouse_db)
        identity = (stat.st_ino, stat.st_mtime_ns)
        with self._lock:
            if self._con is None or identity != self._identity:
                if self._con is not None:
                    self._con.close()
                self._con = open_warehouse(self.home)
                self._identity = identity
            # One cursor per call: the web server answers callbacks on several threads.
            return self._con.cursor()

    def data_months(self) -> list[str]:
        """Months (YYYY-MM) with any activity, for the period pickers; cached per published file."""
        self.cursor().close()  # refreshes the identity when a new build was published
        if self._months is None or self._months[0] != self._identity:
            result = self.compute(MetricQuery(
                date_from=EARLIEST, date_to=date.today(), metrics=("clients_reached",), by=("month",)))
            months = sorted(m for m in result.frame["month"].to_list() if m)
            self._months = (self._identity, months)
        return list(self._months[1])

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None

    def compute(self, query: MetricQuery) -> MetricResult:
        cursor = self.cursor()
        try:
            return compute(cursor, query)
        finally:
            cursor.close()

    def table(self, name: str) -> pl.DataFrame | None:
        """A whole mart (ops tables for the data-quality page); None when the build has no such table."""
        cursor = self.cursor()
        try:
            exists = cursor.sql(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = $name", params={"name": name}
            ).fetchall()
            if not exists[0][0]:
                return None
            table = cursor.sql(f'SELECT * FROM "{name}"').to_arrow_table()  # name is ours, never user input
            frame = pl.from_arrow(table)
            return frame if isinstance(frame, pl.DataFrame) else frame.to_frame()
        finally:
            cursor.close()

    def figures(self, query: MetricQuery) -> ChartData:
        """Like compute, but a filter that does not apply to a metric is left out for that metric.

        Metrics are grouped by the filters that apply to them, each group computed once, and the
        groups joined on the `by` columns; the filters left out are reported so the UI can say so.
        """
        groups: dict[tuple[str, ...], list[str]] = {}
        ignored: set[str] = set()
        for name in query.metrics:
            metric = METRICS_BY_NAME[name]
            usable = tuple(d for d in query.where if applies(metric, d))
            ignored.update(d for d in query.where if d not in usable)
            groups.setdefault(usable, []).append(name)
        frames: list[pl.DataFrame] = []
        published: list[pl.DataFrame] = []
        for usable, names in groups.items():
            result = self.compute(MetricQuery(
                date_from=query.date_from, date_to=query.date_to, metrics=tuple(names), by=query.by,
                where={d: query.where[d] for d in usable}, suppress=query.suppress,
            ))
            frames.append(merge_flags(result))
            published.append(result.published())
        frame, shown = _join(frames, query.by), _join(published, query.by)
        flags = [c for c in frame.columns if c.endswith("__flag")]
        hidden = bool(flags) and frame.select(pl.any_horizontal([pl.col(c) != "" for c in flags]).any()).item()
        return ChartData(frame, shown, bool(hidden), tuple(sorted(ignored)))


def _join(frames: list[pl.DataFrame], by: tuple[str, ...]) -> pl.DataFrame:
    if len(frames) == 1:
        return frames[0]
    if not by:
        return pl.concat(frames, how="horizontal")
    joined = frames[0]
    for frame in frames[1:]:
        joined = joined.join(frame, on=list(by), how="full", coalesce=True)
    return joined
