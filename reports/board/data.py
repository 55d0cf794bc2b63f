"""The figures of the board pack, from the metric API only, always protected (it leaves the building), in one scope."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import duckdb
import polars as pl

from pipelines import contract
from pipelines.access import Scope
from pipelines.metrics import MetricQuery, MetricResult, compute
from pipelines.metrics.periods import Coverage, comparison_has_data, data_coverage
from pipelines.metrics.protection import Protection
from pipelines.metrics.top_n import top_n_with_rest
from pipelines.project_to_date import ProjectToDate, project_to_date
from pipelines.targets import ProjectTargets
from reports.board.model import KPI_METRICS, BoardData, Comparison, Kpi, PartChange, previous_of
from reports.cells import column_cells, with_flags
from reports.incomplete import incomplete_months
from reports.provenance import Provenance, read_provenance

LANGUAGE_COURSES = ("czech_a1", "czech_a2", "czech_b1")
COURSE_TYPES = tuple(dict.fromkeys(contract.COURSE_TYPE.values()))
# Splits compared with the previous period to explain what drove a change.
COMPARED = (
    ("clients_reached", "service"), ("clients_reached", "nationality"), ("clients_reached", "district"),
    ("new_clients", "nationality"), ("contacts", "service"), ("service_hours", "service"),
    ("course_participants", "service"), ("clients_with_outcome", "outcome"), ("event_attendance", "event_type"),
)


def _compute(con: duckdb.DuckDBPyConnection, scope: Scope, date_from: date, date_to: date,
             metrics: tuple[str, ...], by: tuple[str, ...] = (),
             where: dict[str, tuple[str, ...]] | None = None) -> MetricResult:
    return compute(con, MetricQuery(date_from, date_to, metrics, by, dict(where or {}),
                                    protection=Protection.PROTECTED, scope=scope))


def _kpis(con: duckdb.DuckDBPyConnection, scope: Scope, targets: ProjectTargets, date_from: date, date_to: date,
          has_data: bool, now: MetricResult) -> tuple[Kpi, ...]:
    """The KPIs: `now` is the period's KPI_METRICS, the previous period's are computed here."""
    previous = previous_of(date_from, date_to)
    before = _compute(con, scope, previous.date_from, previous.date_to, KPI_METRICS)
    # Before the first delivery there is nothing to compare with: no figure, never a 0.
    return tuple(
        Kpi(metric, column_cells(now, metric)[0], column_cells(before, metric)[0] if has_data else None,
            targets.pro_rata(metric, date_from, date_to))
        for metric in KPI_METRICS
    )


def _comparison(con: duckdb.DuckDBPyConnection, scope: Scope, metric: str, dimension: str,
                date_from: date, date_to: date, has_data: bool) -> Comparison:
    previous = previous_of(date_from, date_to)
    periods = [_compute(con, scope, f, t, (metric,), (dimension,))
               for f, t in ((date_from, date_to), (previous.date_from, previous.date_to))]
    values = [dict(zip(r.frame.get_column(dimension).to_list(), column_cells(r, metric), strict=True))
              for r in periods]
    codes = list(dict.fromkeys([*values[0], *values[1]]))
    return Comparison(metric, dimension, tuple(
        PartChange(str(code), values[0].get(code, 0), values[1].get(code, 0) if has_data else None)
        for code in codes
    ))


def _charts(con: duckdb.DuckDBPyConnection, scope: Scope, date_from: date, date_to: date) -> dict[str, pl.DataFrame]:
    def frame(metrics: tuple[str, ...], by: tuple[str, ...],
              where: dict[str, tuple[str, ...]] | None = None) -> pl.DataFrame:
        return with_flags(_compute(con, scope, date_from, date_to, metrics, by, where))

    # The trend runs over the comparison period and the period, so the change is visible.
    prev_from = previous_of(date_from, date_to).date_from
    return {
        "trend": with_flags(_compute(con, scope, prev_from, date_to, ("clients_reached",), ("month", "target_group"))),
        "nationality": with_flags(top_n_with_rest(
            lambda query: compute(con, query),
            MetricQuery(date_from, date_to, ("clients_reached",), ("nationality",), protection=Protection.PROTECTED,
                        scope=scope),
            "nationality")),
        "district": frame(("clients_reached",), ("district",)),
        "service": frame(("clients_reached",), ("service",)),
        "outcomes": frame(("outcomes",), ("outcome",)),
        "cefr": frame(("enrolments",), ("level_in", "level_out"), {"service": LANGUAGE_COURSES}),
    }


def pack_centres(scope: Scope, provenance: Provenance) -> tuple[str, ...] | None:
    """The centres the pack covers: the user's, or (every centre) those that delivered; None: not known."""
    if not scope.everything:
        return tuple(sorted(scope.centres))
    return tuple(sorted({d.centre for d in provenance.deliveries})) or None


def _through(coverage: Coverage | None, targets: ProjectTargets, date_to: date) -> date:
    """The project to date runs to the period's end, or to the end of the last month with data if earlier."""
    if coverage is None:
        return targets.period_from - timedelta(days=1)  # no data: no cumulative figure
    last = coverage.last
    return min(date_to, last.replace(day=calendar.monthrange(last.year, last.month)[1]))


def _project(con: duckdb.DuckDBPyConnection, scope: Scope, targets: ProjectTargets,
             centres: tuple[str, ...] | None, coverage: Coverage | None, date_to: date) -> ProjectToDate | None:
    """The project to date as the Overview shows it (dashboard/pages/overview.py), always protected."""
    return project_to_date(lambda query: compute(con, query), targets, scope=scope,
                           protection=Protection.PROTECTED, centres=centres,
                           through=_through(coverage, targets, date_to))


def gather_board(con: duckdb.DuckDBPyConnection, targets: ProjectTargets, date_from: date, date_to: date, *,
                 scope: Scope) -> BoardData:
    """The pack's figures for `scope`: the downloading user's, or pipelines.access.EVERYTHING for the operator.

    The targets are those of the pack's centres (`ProjectTargets.for_centres`; the file's all if none
    of them has any): a centre's pack shows its own, a national pack the sums of what adds up."""
    provenance = read_provenance(con, scope)
    centres = pack_centres(scope, provenance)
    targets = targets.for_centres(centres) or targets
    coverage = data_coverage(con, scope)
    courses = _compute(con, scope, date_from, date_to,
                       ("course_participants", "enrolments", "course_completions", "level_gains"),
                       ("service",), {"service": COURSE_TYPES})
    has_data = comparison_has_data(previous_of(date_from, date_to), coverage)
    # The KPIs count people (clients_reached) over the pack's scope, unfiltered: their result says
    # how people are counted across centres (pipelines/metrics/linkage.py) for the whole pack.
    now = _compute(con, scope, date_from, date_to, KPI_METRICS)
    return BoardData(
        date_from=date_from, date_to=date_to, targets=targets,
        kpis=_kpis(con, scope, targets, date_from, date_to, has_data, now),
        comparisons=tuple(_comparison(con, scope, m, d, date_from, date_to, has_data) for m, d in COMPARED),
        charts=_charts(con, scope, date_from, date_to),
        provenance=provenance,
        course_results=with_flags(courses),
        comparison_has_data=has_data,
        project=_project(con, scope, targets, centres, coverage, date_to),
        incomplete=incomplete_months(con, scope, date_from, date_to),
        people_summed=now.people_summed_over_centres,
    )
