"""Where a figure comes from (issue 15 item 4): the deliveries and files whose rows make it up.

    found = trace_figure(con, MetricQuery(date_from, date_to, metrics=("contacts",), where={...},
                                          protection=Protection.PROTECTED, scope=user_scope))
    found.files      # per delivery file: centre, delivery, load time, file name, SHA-256, rows (None: not shown)
    found.figure     # the figure itself, as compute publishes it

The rows of a figure are the fact rows its metric reads: the rows of the metric's family in the
period, within the scope, matching the filters that apply to the metric (the measure's own
condition, e.g. "completed", is not applied: those are the rows the figure is computed from).
Each row is attributed to the delivery file that delivered its current version, through the
lineage the intermediate models keep (`intermediate.int_*._delivery_id`, `_file_name`,
`_file_sha256`); an activity to the contact, enrolment or participation behind it, an event
figure (count, head counts) to the events' files (`int_events`).

Never a list of people, and never a count the disclosure rule would not publish: protected, each
file's row count is perturbed by the cell key method (the sum of its records' keys, as a count of
records is in `compute`) and shown only where the perturbed count of the people behind it is at
least RECORDS_MIN_PEOPLE (events, which name no one: where the perturbed count of events is); a
sparse view lists no file at all. Exact (admin or analyst with protection off, audited by the
caller), the counts are exact and add up to the figure's rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import numpy as np

from pipelines.errors import ReachError
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS_BY_NAME, Family, applies
from pipelines.metrics.cell_key import key_range, published_table
from pipelines.metrics.engine import compute
from pipelines.metrics.protection import RECORDS_MIN_PEOPLE, Protection
from pipelines.metrics.query import MetricQuery, resolve
from pipelines.metrics.sql import (
    _USES_CLIENT,
    _WITH_CLIENT,
    FAMILIES,
    dimension_expression,
    last_activity_sql,
    scope_condition,
)

_LINEAGE_COLUMNS = "_delivery_id, _file_name, _file_sha256"
# How each family's rows reach the lineage of the record they come from (alias l), and its record key.
_ACTIVITY_LINEAGE = f"""(
    SELECT centre, activity_kind, activity_id, client_key, record_key, {_LINEAGE_COLUMNS}
    FROM (
        SELECT i.centre, 'contact' AS activity_kind, i.contact_id AS activity_id, i.client_key, c.record_key,
               i._delivery_id, i._file_name, i._file_sha256, i._load_seq
        FROM intermediate.int_contacts i JOIN fct_contacts c ON c.contact_key = i.contact_key
        UNION ALL
        SELECT i.centre, 'course', i.course_id, i.client_key, e.record_key,
               i._delivery_id, i._file_name, i._file_sha256, i._load_seq
        FROM intermediate.int_course_enrolments i JOIN fct_course_enrolments e ON e.enrolment_key = i.enrolment_key
        UNION ALL
        SELECT i.centre, 'event', i.event_id, i.client_key, p.record_key,
               i._delivery_id, i._file_name, i._file_sha256, i._load_seq
        FROM intermediate.int_event_participants i
        JOIN fct_event_participation p ON p.participation_key = i.participation_key
    )
    QUALIFY row_number() OVER (PARTITION BY centre, activity_kind, activity_id, client_key
                               ORDER BY _load_seq DESC) = 1
) l ON l.centre = f.centre AND l.activity_kind = f.activity_kind AND l.activity_id = f.activity_id
     AND l.client_key = f.client_key"""
LINEAGE: dict[Family, tuple[str, str]] = {  # family -> (join, record key)
    Family.ACTIVITIES: (f"JOIN {_ACTIVITY_LINEAGE}", "l.record_key"),
    Family.CONTACTS: ("JOIN intermediate.int_contacts l ON l.contact_key = f.contact_key", "f.record_key"),
    Family.COURSES: ("JOIN intermediate.int_course_enrolments l ON l.enrolment_key = f.enrolment_key",
                     "f.record_key"),
    Family.EVENTS: ("JOIN intermediate.int_events l ON l.event_key = f.event_key", "f.record_key"),
    Family.OUTCOMES: ("JOIN intermediate.int_outcomes l ON l.outcome_key = f.outcome_key", "f.record_key"),
}
# A published warehouse built before int_events kept the lineage: rebuilt, it has it.
_MISSING_LINEAGE = re.compile(r'(Referenced column|does not have a column named) '
                              r'"?_(delivery_id|file_name|file_sha256)\b')


@dataclass(frozen=True)
class TracedFile:
    centre: str
    delivery_id: str
    load_seq: int
    loaded_at: datetime | None
    source: str  # the delivery's folder or zip name as loaded
    file_name: str
    sha256: str
    rows: int | None  # None: not shown (fewer than the disclosure rule allows)


@dataclass(frozen=True)
class Trace:
    metric: str
    query: MetricQuery
    applied: dict[str, tuple[str, ...]]  # the filters that apply to the metric
    ignored: tuple[str, ...]  # filters that do not apply to it (left out, as the dashboard does)
    figure: float | None  # the figure as compute publishes it for this query (None: not shown)
    sparse: bool  # too few people in the view: no file is listed
    names_people: bool  # False (events): a file's count is shown where it is itself at least the rule
    files: tuple[TracedFile, ...] = field(default=())

    @property
    def exact(self) -> bool:
        return self.query.protection is Protection.EXACT

    @property
    def rows_shown(self) -> int:
        return sum(f.rows or 0 for f in self.files)

    @property
    def hidden_files(self) -> int:
        return sum(1 for f in self.files if f.rows is None)


def trace_figure(con: duckdb.DuckDBPyConnection, query: MetricQuery) -> Trace:
    """The delivery files behind the one metric of `query` (its period, filters, scope and protection)."""
    if len(query.metrics) != 1 or query.metrics[0] not in METRICS_BY_NAME:
        raise ValueError("trace_figure traces one metric of the catalogue at a time")
    metric = METRICS_BY_NAME[query.metrics[0]]
    applied = {d: tuple(v) for d, v in query.where.items() if applies(metric, d)}
    ignored = tuple(sorted(d for d in query.where if d not in applied))
    asked = MetricQuery(date_from=query.date_from, date_to=query.date_to, metrics=(metric.name,), where=applied,
                        protection=query.protection, scope=query.scope)
    where = resolve(asked).where  # the same validation (scope, protection, bounds, values) as compute
    result = compute(con, asked)
    figure = result.frame[metric.name][0] if result.frame.height else (None if result.sparse else 0)
    names_people = FAMILIES[metric.family].names_people
    base = Trace(metric.name, asked, applied, ignored, figure, result.sparse, names_people)
    if result.sparse and query.protection is Protection.PROTECTED:
        return base
    try:
        rows = con.execute(*_files_sql(con, asked, where, metric.family)).fetchall()
    except duckdb.BinderException as error:
        if not _MISSING_LINEAGE.search(str(error)):
            raise
        raise ReachError("The published warehouse keeps no lineage for this metric's rows (it was built before "
                         "they carried it). Rebuild it with reach build.") from error
    protected = query.protection is Protection.PROTECTED
    counts = _published(con, rows) if protected else [(r[7], r[7]) for r in rows]
    files = []
    for row, (published, people) in zip(rows, counts, strict=True):
        delivery, file_name, sha256, centre, load_seq, loaded_at, source = row[:7]
        shown = published if not protected or (people if names_people else published) >= RECORDS_MIN_PEOPLE \
            else None
        files.append(TracedFile(centre, delivery, load_seq, loaded_at, source, file_name, sha256, shown))
    return Trace(**{**base.__dict__, "files": tuple(files)})


def _files_sql(con: duckdb.DuckDBPyConnection, query: MetricQuery, where: dict[str, tuple[str, ...]],
               family: Family) -> tuple[str, dict[str, object]]:
    spec = FAMILIES[family]
    join, record_key = LINEAGE[family]
    parameters: dict[str, object] = {"date_from": query.date_from, "date_to": query.date_to}
    in_scope = scope_condition(family, query.scope, parameters)
    columns = [f"{dimension_expression(family, d)} AS {d}" for d in where]
    if any("$to_year" in c for c in columns):  # age at the period's end, as compute clamps it
        [(last,)] = con.execute(last_activity_sql()).fetchall()
        parameters["to_year"] = min(query.date_to, last).year if last else query.date_to.year
    columns += ["l._delivery_id AS delivery_id", "l._file_name AS file_name", "l._file_sha256 AS sha256",
                f"{record_key} AS record_key",
                *(["f.client_key AS client_key", "f.person_code AS person_code"] if spec.names_people else
                  ["NULL AS client_key", "NULL::BIGINT AS person_code"])]  # events name no one
    uses_client = any(_USES_CLIENT.search(c) for c in [*columns, in_scope])
    source = f"{spec.source}{' ' + _WITH_CLIENT if uses_client else ''} {join}"
    conditions = []
    for index, (dimension, values) in enumerate(where.items()):
        names = []
        for position, value in enumerate(values):
            parameters[f"w{index}_{position}"] = value
            names.append(f"$w{index}_{position}")
        conditions.append(f"{DIMENSIONS_BY_NAME[dimension].code(dimension)} IN ({', '.join(names)})")
    rows = f"{spec.in_period} AND {in_scope}" if in_scope else spec.in_period
    filtered = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (f"WITH period_rows AS (SELECT {', '.join(columns)} FROM {source} WHERE {rows}),\n"
           f"files AS (SELECT delivery_id, file_name, sha256, count(*) AS rows,\n"
           f"  (coalesce(sum(record_key), 0) % {key_range()})::INTEGER AS row_key,\n"
           f"  count(DISTINCT client_key) AS people,\n"
           f"  (coalesce(sum(DISTINCT person_code), 0) % {key_range()})::INTEGER AS people_key\n"
           f"  FROM period_rows{filtered} GROUP BY ALL)\n"
           "SELECT files.delivery_id, file_name, sha256, d.centre, d.load_seq, d.loaded_at, d.source,\n"
           "  rows, row_key, people, people_key\n"
           "FROM files LEFT JOIN mart_deliveries d ON d.delivery_id = files.delivery_id\n"
           "ORDER BY d.load_seq, file_name")
    return sql, parameters


def _published(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> list[tuple[int, int]]:
    """(perturbed rows, perturbed people behind them) per file: the cell key method's lookup."""
    if not rows:
        return []
    table = published_table(con)
    counts = np.array([[r[7], r[9]] for r in rows], dtype=np.int64)
    keys = np.array([[r[8], r[10]] for r in rows], dtype=np.int64)
    published = counts + table.deviations[np.minimum(counts, table.limit), keys]
    return [(int(a), int(b)) for a, b in published]
