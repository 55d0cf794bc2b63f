"""The dashboard's only door to the warehouse: read-only, reopened when a new build is published.

Figures come from `pipelines.metrics.compute`; the data-quality page reads the ops marts. Every
read for a user takes that user's `Scope` (required, no default): figures are scoped by the
metric layer, mart rows by their centre, and whatever is cached is cached per scope.

`reach build` publishes by renaming a new file onto warehouse.duckdb while requests are being
answered. Each opened file is a *generation*: requests lease the current one, a replaced file
opens a new one, and the old one is closed only when its last lease is returned — never under a
query. Within `WarehouseSource.pinned()` (one per web request, see `pin_requests`) every read uses
the same generation from start to end, so no response mixes two builds.

Answers are kept per build (dashboard/result_cache.py): every metric result and every chart's
figures, keyed by the generation they were read from, the query's scope and the whole query;
the entries of a replaced build are dropped when the new one is opened. A generation keeps its
cursors for reuse, so what the metric layer reads once per cursor (the perturbation table, the
data's last activity) is read a few times per build, not once per figure.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from charts.figures import flag_column
from dashboard.result_cache import ResultCache
from dashboard.state.url import EARLIEST_DATE
from pipelines.access import Scope
from pipelines.database import attach
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.metrics import MetricQuery, MetricResult, compute, people_summed_over_centres
from pipelines.metrics.catalogue import METRICS_BY_NAME, applies
from pipelines.metrics.periods import Coverage, data_coverage
from pipelines.metrics.protection import Protection

EARLIEST = EARLIEST_DATE  # dashboard/state/url.py: the first date a view may show


@dataclass(frozen=True)
class ChartData:
    """Figures for one chart: values (null where hidden) with `<metric>__flag` columns, and as published."""

    frame: pl.DataFrame
    published: pl.DataFrame
    hidden: bool  # some value is not shown (disclosure rules)
    ignored_filters: tuple[str, ...] = ()  # filters that do not apply to these metrics
    sparse: bool = False  # too few people in the filtered view: a notice instead of figures
    # Its people counts over several centres are the sum of the centres' unique clients (linkage.py).
    summed: bool = False

    def value(self, metric: str) -> float | None:
        return self.frame[metric][0] if self.frame.height and metric in self.frame.columns else None

    def flag(self, metric: str) -> str:
        column = flag_column(metric)
        return (self.frame[column][0] or "") if self.frame.height and column in self.frame.columns else ""


def merge_flags(result: MetricResult) -> pl.DataFrame:
    """The result's values with one `<metric>__flag` column per metric beside them."""
    flags = result.flags.select([pl.col(m).alias(flag_column(m)) for m in result.metrics])
    return pl.concat([result.frame, flags], how="horizontal")


WAREHOUSE_ALIAS = "warehouse"
_OPEN_ATTEMPTS = 3  # a file replaced while it was being opened is opened again


def _identity(path: os.PathLike[str]) -> tuple[int, int, int]:
    try:
        stat = os.stat(path)
    except OSError as error:
        raise ReachError(f"The published warehouse {path} cannot be read ({error.strerror}).") from None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _open(path: os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    # An in-memory database with the file attached, not duckdb.connect(path): DuckDB shares one
    # instance per path within a process, so a connection opened by path after a publish would
    # still read the replaced file while an older connection to it is open.
    con = duckdb.connect(":memory:")
    try:
        attach(con, path, WAREHOUSE_ALIAS, read_only=True)
    except duckdb.Error as error:
        con.close()
        raise ReachError(f"The published warehouse {path} cannot be opened read-only: {error}") from error
    return con


class _Generation:
    """One opened warehouse file (one build), closed once replaced and no longer leased."""

    def __init__(self, home: Home, serial: int) -> None:
        path = home.warehouse_db
        for attempt in range(1, _OPEN_ATTEMPTS + 1):
            before = _identity(path)
            con = _open(path)
            if attempt == _OPEN_ATTEMPTS or _identity(path) == before:
                break
            con.close()
        self.con = con
        self.identity = before
        # The build's id within this process (reach build's own id is not in the file): the result
        # cache's key. The serial tells apart two files that happened to get the same identity.
        self.build = (serial, before)
        self.built_at = datetime.fromtimestamp(before[1] / 1e9)
        self.leases = 0
        self.replaced = False
        # What this build holds for a scope, read once: months, coverage, filter values (keyed by scope).
        self.cache: dict[tuple[str, Scope], Any] = {}
        self.lock = threading.Lock()  # guards `cache`
        self._idle: list[duckdb.DuckDBPyConnection] = []  # cursors no query uses now
        self._idle_lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of this build for one thread at a time: an idle one again, else a new one.

        The web server answers callbacks on several threads, each query on a cursor of its own. A
        cursor is given back for the next query (the metric layer's per-cursor reads are kept with
        it); one whose query raised is closed instead, so no state of a failed query is reused.
        """
        with self._idle_lock:
            cursor = self._idle.pop() if self._idle else None
        if cursor is None:
            cursor = self.con.cursor()
            cursor.execute(f"USE {WAREHOUSE_ALIAS}")
        try:
            yield cursor
        except BaseException:
            cursor.close()
            raise
        with self._idle_lock:
            self._idle.append(cursor)

    def close(self) -> None:
        """Only once no lease is out (WarehouseSource._close_if_idle): every cursor is idle then."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for cursor in idle:
            cursor.close()
        self.con.close()


@dataclass
class _Pin:
    """The generation one request works on, taken on its first read."""

    generation: _Generation | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class WarehouseSource:
    """Read-only access to <home>/warehouse.duckdb that follows `reach build`'s atomic replace."""

    def __init__(self, home: Home, results: ResultCache | None = None) -> None:
        self.home = home
        self._lock = threading.Lock()  # guards _current and every generation's leases
        self._current: _Generation | None = None
        self._serials = itertools.count(1)
        self.results = results if results is not None else ResultCache()
        self._pin: contextvars.ContextVar[_Pin | None] = contextvars.ContextVar(
            f"warehouse_pin_{id(self)}", default=None)

    # --- generations and leases -------------------------------------------------------------

    def _acquire(self) -> _Generation:
        """A lease on the generation of the file published now (opened first if it is new)."""
        if not self.home.warehouse_db.exists():
            raise ReachError(f"No published warehouse in {self.home.root} (expected {self.home.warehouse_db}): "
                             "run reach load and then reach build first.")
        with self._lock:
            current = self._current
            if current is None or _identity(self.home.warehouse_db) != current.identity:
                self._current = _Generation(self.home, next(self._serials))
                self.results.publish(self._current.build)  # the replaced build's answers are dropped
                if current is not None:
                    current.replaced = True
                    self._close_if_idle(current)
            self._current.leases += 1
            return self._current

    def _release(self, generation: _Generation) -> None:
        with self._lock:
            generation.leases -= 1
            self._close_if_idle(generation)

    @staticmethod
    def _close_if_idle(generation: _Generation) -> None:
        if generation.replaced and generation.leases == 0:
            generation.close()

    @contextmanager
    def _generation(self) -> Iterator[_Generation]:
        """The pinned generation inside pinned(), else a lease for the duration of one read."""
        pin = self._pin.get()
        if pin is None:
            generation = self._acquire()
            try:
                yield generation
            finally:
                self._release(generation)
            return
        with pin.lock:  # threads of one request share the pin
            if pin.generation is None:
                pin.generation = self._acquire()
        yield pin.generation

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Every read inside (and in threads run with a copy of this context) uses one generation."""
        if self._pin.get() is not None:  # already pinned by an enclosing block
            yield
            return
        pin = _Pin()
        token = self._pin.set(pin)
        try:
            yield
        finally:
            self._pin.reset(token)
            if pin.generation is not None:
                self._release(pin.generation)

    def pin_requests(self, server: Any) -> None:
        """Pin one generation per request of a Flask `server` (taken on the request's first read)."""
        from flask import g

        @server.before_request
        def _pin_request() -> None:
            pinning = self.pinned()
            pinning.__enter__()
            g.warehouse_pinning = pinning

        @server.teardown_request
        def _unpin_request(_error: BaseException | None) -> None:
            pinning = g.pop("warehouse_pinning", None)
            if pinning is not None:
                pinning.__exit__(None, None, None)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current (or pinned) generation; the generation stays open until it is closed."""
        with self._generation() as generation, generation.cursor() as cursor:
            yield cursor

    # --- what the pages read ------------------------------------------------------------------

    def published(self) -> bool:
        return self.home.warehouse_db.exists()

    def built_at(self) -> datetime | None:
        """When the file being read was published (the pinned generation's, within a request)."""
        if not self.published():
            return None
        with self._generation() as generation:
            return generation.built_at

    def build(self) -> Hashable:
        """The id of the build being read (the pinned generation's, within a request): the caches' key."""
        with self._generation() as generation:
            return generation.build

    def _cached(self, what: str, scope: Scope, read: Any) -> Any:
        """`read(cursor)` once per generation and scope (another scope never sees this one's answer)."""
        if not isinstance(scope, Scope):
            raise TypeError(f"A read for a user needs a Scope, not {scope!r}.")
        with self._generation() as generation, generation.lock:
            key = (what, scope)
            if key not in generation.cache:
                with generation.cursor() as cursor:
                    generation.cache[key] = read(cursor)
            return generation.cache[key]

    def data_months(self, scope: Scope) -> list[str]:
        """Months (YYYY-MM) with any activity within `scope`, for the period pickers; cached per generation."""
        def read(cursor: duckdb.DuckDBPyConnection) -> list[str]:
            # Which months have data, never a figure: exact, so a sparse scope still gets its months.
            result = compute(cursor, MetricQuery(date_from=EARLIEST, date_to=date.today(),
                                                 metrics=("clients_reached",), by=("month",),
                                                 protection=Protection.EXACT, scope=scope))
            return sorted(m for m in result.frame["month"].to_list() if m)

        return list(self._cached("months", scope, read))

    def coverage(self, scope: Scope) -> Coverage | None:
        """The data's first and last dates within `scope` (pipelines.metrics.periods); cached per generation."""
        return self._cached("coverage", scope, lambda cursor: data_coverage(cursor, scope))

    def present_values(self, dimension: str, scope: Scope) -> tuple[str, ...]:
        """The values of a client or event `dimension` that occur within `scope` at any time (filter options)."""
        def read(cursor: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
            metrics = tuple(m for m in ("clients_reached", "event_attendance")
                            if applies(METRICS_BY_NAME[m], dimension))
            # Which values occur within the scope, never a figure (a view of them is protected as any).
            result = compute(cursor, MetricQuery(date_from=EARLIEST, date_to=date.today(), metrics=metrics,
                                                 by=(dimension,), protection=Protection.EXACT, scope=scope))
            return tuple(str(v) for v in result.frame[dimension].to_list() if v is not None)

        return self._cached(f"values:{dimension}", scope, read)

    def close(self) -> None:
        """Close the current generation once its leases are returned (the source may be used again)."""
        with self._lock:
            if self._current is not None:
                self._current.replaced = True
                self._close_if_idle(self._current)
            self._current = None

    def compute(self, query: MetricQuery) -> MetricResult:
        """The metric layer's result for `query`, kept per build, scope and query (the same object on a hit)."""
        def read(generation: _Generation) -> MetricResult:
            with generation.cursor() as cursor:
                return compute(cursor, query)

        return self._kept("result", query, read)

    def _kept(self, what: str, query: MetricQuery, read: Callable[[_Generation], Any]) -> Any:
        """`read(generation)`'s answer to `query`, from the result cache when this build answered it before."""
        with self._generation() as generation:
            return self.results.get_or_compute(generation.build, what, query, lambda: read(generation))

    def table(self, name: str, scope: Scope) -> pl.DataFrame | None:
        """A mart's rows within `scope` (ops tables for the data-quality page); None when the build has no such table.

        A table with a `centre` column gives only the rows of the scope's centres; one without it
        (the build's own records, e.g. quality_runs) is not any centre's and is given whole.
        """
        if not isinstance(scope, Scope):
            raise TypeError(f"A read for a user needs a Scope, not {scope!r}.")
        with self.cursor() as cursor:
            columns = {column for (column,) in cursor.sql(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
                "AND table_name = $name", params={"name": name}
            ).fetchall()}
            if not columns:
                return None
            sql, parameters = f'SELECT * FROM "{name}"', {}  # name is ours, never user input
            if "centre" in columns and not scope.everything:
                parameters = {f"c{i}": code for i, code in enumerate(sorted(scope.centres))}
                listed = ", ".join(f"${key}" for key in parameters)
                sql += f" WHERE centre IN ({listed})" if parameters else " WHERE FALSE"
            table = cursor.sql(sql, params=parameters or None).to_arrow_table()
            frame = pl.from_arrow(table)
            return frame if isinstance(frame, pl.DataFrame) else frame.to_frame()

    def figures(self, query: MetricQuery) -> ChartData:
        """Like compute, but a filter that does not apply to a metric is left out for that metric.

        Metrics are grouped by the filters that apply to them, each group computed once, and the
        groups joined on the `by` columns; the filters left out are reported so the UI can say so.
        """
        with self.pinned():  # the groups of one chart come from one build
            return self._kept("figures", query, lambda _generation: self._figures(query))

    def people_summed(self, query: MetricQuery) -> bool:
        """Whether `figures(query)` would count people as sums over centres (ChartData.summed), known
        without computing it (pipelines.metrics.people_summed_over_centres)."""
        def read(generation: _Generation) -> bool:
            with generation.cursor() as cursor:
                return any(people_summed_over_centres(cursor, group) for group in _filter_groups(query)[0])

        return self._kept("summed", query, read)

    def _figures(self, query: MetricQuery) -> ChartData:
        groups, ignored = _filter_groups(query)
        frames: list[pl.DataFrame] = []
        published: list[pl.DataFrame] = []
        sparse = summed = False
        for group in groups:
            result = self.compute(group)
            frames.append(merge_flags(result))
            published.append(result.published())
            sparse = sparse or result.sparse
            summed = summed or result.people_summed_over_centres
        frame, shown = _join(frames, query.by), _join(published, query.by)
        flags = [c for c in frame.columns if c.endswith("__flag")]
        hidden = bool(flags) and frame.select(pl.any_horizontal([pl.col(c) != "" for c in flags]).any()).item()
        return ChartData(frame, shown, bool(hidden), tuple(sorted(ignored)), sparse=sparse, summed=summed)


def _filter_groups(query: MetricQuery) -> tuple[list[MetricQuery], set[str]]:
    """The query per group of its metrics to which the same of its filters apply (each with those filters
    only), and the filters that do not apply to some metric (`WarehouseSource.figures`)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    ignored: set[str] = set()
    for name in query.metrics:
        metric = METRICS_BY_NAME[name]
        usable = tuple(d for d in query.where if applies(metric, d))
        ignored.update(d for d in query.where if d not in usable)
        groups.setdefault(usable, []).append(name)
    return [MetricQuery(date_from=query.date_from, date_to=query.date_to, metrics=tuple(names), by=query.by,
                        where={d: query.where[d] for d in usable}, protection=query.protection, scope=query.scope)
            for usable, names in groups.items()], ignored


def _join(frames: list[pl.DataFrame], by: tuple[str, ...]) -> pl.DataFrame:
    if len(frames) == 1:
        return frames[0]
    if not by:
        return pl.concat(frames, how="horizontal")
    joined = frames[0]
    for frame in frames[1:]:
        joined = joined.join(frame, on=list(by), how="full", coalesce=True)
    return joined
