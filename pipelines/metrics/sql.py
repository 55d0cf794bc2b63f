"""The metric SQL: one query per metric family over the published marts, pushed down to DuckDB.

Dimension and metric names and their SQL only ever come from the catalogue
(pipelines/metrics/catalogue/); user values (dates, filter values, the scope's centres and
districts) are bound as parameters, never formatted into the SQL text.

The user's scope is a condition on the fact rows themselves, inside the period's rows, before any
dimension is computed and before the request's filters apply: a filter can only narrow it, and
a filter value outside the scope selects nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from pipelines.access.model import Scope
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS_BY_NAME, Family


@dataclass(frozen=True)
class FamilySql:
    """How one family's rows are found and which row values its measures read.

    What each dimension and measure means is declared in the catalogue (pipelines/metrics/catalogue/).
    """

    source: str  # the fact table, alias f (dim_client is joined as c only when a column needs it)
    in_period: str  # WHERE condition selecting the period's rows
    inputs: dict[str, str]  # row values the measures aggregate
    # Every measure counts people: rows are first made distinct per (group, client) and the
    # measures count those rows, reading registered_on joined after that (one DISTINCT aggregate
    # per measure is several times slower in DuckDB).
    people_only: bool = field(default=False)


_WITH_CLIENT = "JOIN dim_client c ON c.client_key = f.client_key"
_USES_CLIENT = re.compile(r"\bc\.")
_RATE_JOIN = "LEFT JOIN dim_district d ON d.code = g.district"  # rates are per district (Metric.requires)

FAMILIES: dict[Family, FamilySql] = {
    Family.ACTIVITIES: FamilySql(
        source="fct_activities f",
        in_period="f.active_from <= $date_to AND f.active_to >= $date_from",
        inputs={"client_key": "f.client_key"},
        people_only=True,
    ),
    Family.CONTACTS: FamilySql(
        source="fct_contacts f",
        in_period="f.contact_date BETWEEN $date_from AND $date_to",
        inputs={"client_key": "f.client_key", "duration_min": "f.duration_min", "is_interpreted": "f.interpreted"},
    ),
    Family.COURSES: FamilySql(
        source="fct_course_enrolments f",
        in_period="f.starts_on <= $date_to AND f.course_active_to >= $date_from",
        inputs={"client_key": "f.client_key", "completed": "f.completed", "level_gain": "f.level_gain"},
    ),
    Family.EVENTS: FamilySql(
        source="fct_events f",
        in_period="f.event_date BETWEEN $date_from AND $date_to",
        inputs={"participants": "f.participants", "participants_foreign": "f.participants_foreign"},
    ),
    Family.OUTCOMES: FamilySql(
        source="fct_outcomes f",
        in_period="f.outcome_date BETWEEN $date_from AND $date_to",
        inputs={"client_key": "f.client_key", "days": "f.days_from_registration"},
    ),
}


# Where a family's row is, for the scope: its centre, and the district the scope's districts name
# (the client's residence district, for events the event's district). Codes as delivered
# (CZxxxx), not the region-relative district of the `district` dimension.
_SCOPE_CENTRE = "f.centre"
_SCOPE_DISTRICT = {family: "c.residence_district_code" for family in Family} | {Family.EVENTS: "f.district_code"}


def scope_condition(family: Family, scope: Scope, parameters: dict[str, object]) -> str:
    """The SQL condition keeping a family's rows (alias f, client c) within `scope`; values added to `parameters`.

    "" for the operator's scope of everything without districts. A scope without centres keeps nothing.
    """
    if not isinstance(scope, Scope):
        raise TypeError(f"A metric query needs a Scope, not {scope!r}.")
    conditions = []
    if not scope.everything:
        conditions.append(_in_list(_SCOPE_CENTRE, sorted(scope.centres), "s_centre", parameters))
    if scope.districts:
        conditions.append(_in_list(_SCOPE_DISTRICT[family], sorted(scope.districts), "s_district", parameters))
    return " AND ".join(conditions)


def _in_list(column: str, values: list[str], prefix: str, parameters: dict[str, object]) -> str:
    if not values:
        return "FALSE"
    names = []
    for position, value in enumerate(values):
        parameters[f"{prefix}{position}"] = value
        names.append(f"${prefix}{position}")
    return f"{column} IN ({', '.join(names)})"


@dataclass(frozen=True)
class BoundSql:
    text: str
    parameters: dict[str, object]


def dimension_expression(family: Family, dimension: str) -> str:
    found = DIMENSIONS_BY_NAME[dimension]
    if family not in found.families:
        raise KeyError(f"dimension {dimension} does not apply to family {family}")
    return found.expression(family)


def _measure(name: str, by: Sequence[str]) -> str:
    metric = METRICS_BY_NAME[name]
    return metric.monthly_measure if "month" in by and metric.monthly_measure else metric.measure


def family_sql(
    family: Family,
    date_from: date,
    date_to: date,
    by: Sequence[str],
    where: dict[str, tuple[str, ...]],
    measures: Sequence[str],
    rates: Sequence[str] = (),
    *,
    scope: Scope,
) -> BoundSql:
    """One grouped query of a family: a column per dimension of `by`, then one per measure, then per rate.

    `measures` are aggregates over the family's rows; `rates` are computed from the grouped row.
    Only rows within `scope` are read (`scope_condition`); `where` filters those.
    """
    spec = FAMILIES[family]
    parameters: dict[str, object] = {"date_from": date_from, "date_to": date_to}
    in_scope = scope_condition(family, scope, parameters)
    needed = list(dict.fromkeys([*by, *where]))
    chosen = {name: _measure(name, by) for name in measures}
    aggregates = [f"{chosen[name]} AS {name}" for name in measures]
    # Only the inputs the chosen measures read, so the client join happens only when needed.
    inputs = {
        n: e for n, e in spec.inputs.items()
        if (spec.people_only and n == "client_key") or any(re.search(rf"\b{n}\b", chosen[m]) for m in measures)
    }
    columns = [f"{dimension_expression(family, d)} AS {d}" for d in needed]
    if any("$to_year" in c for c in columns):  # age at the period's end
        parameters["to_year"] = date_to.year
    columns += [f"{expression} AS {name}" for name, expression in inputs.items()]
    uses_client = any(_USES_CLIENT.search(c) for c in [*columns, in_scope])
    source = spec.source + (f" {_WITH_CLIENT}" if uses_client else "")
    columns = columns or ["1 AS one_row"]  # count(*) alone reads no column
    conditions = []
    for index, (dimension, values) in enumerate(where.items()):
        names = []
        for position, value in enumerate(values):
            key = f"w{index}_{position}"
            parameters[key] = value
            names.append(f"${key}")
        conditions.append(f"{dimension} IN ({', '.join(names)})")
    rows = f"{spec.in_period} AND {in_scope}" if in_scope else spec.in_period
    period_rows = f"WITH period_rows AS (SELECT {', '.join(columns)} FROM {source} WHERE {rows})\n"
    filtered = f"\nWHERE {' AND '.join(conditions)}" if conditions else ""
    grouping = f"\nGROUP BY {', '.join(by)}" if by else ""
    if spec.people_only:
        registration = (
            " JOIN dim_client r ON r.client_key = people.client_key"
            if any("registered_on" in chosen[m] for m in measures) else ""
        )
        grouped = (
            period_rows
            + f", people AS (SELECT DISTINCT {', '.join([*by, 'client_key'])} FROM period_rows{filtered})\n"
            + f"SELECT {', '.join([*(f'people.{d} AS {d}' for d in by), *aggregates])} FROM people{registration}"
            + (f"\nGROUP BY {', '.join(f'people.{d}' for d in by)}" if by else "")
        )
    else:
        grouped = period_rows + f"SELECT {', '.join([*by, *aggregates])} FROM period_rows" + filtered + grouping
    if rates:
        derived = ", ".join(f"{METRICS_BY_NAME[name].measure} AS {name}" for name in rates)
        grouped = f"SELECT g.*, {derived}\nFROM ({grouped}) g {_RATE_JOIN}"
    return BoundSql(grouped, parameters)


_COVERED = (  # (family, first date, last date) of every dated fact
    (Family.ACTIVITIES, "f.active_from", "f.active_to"),
    (Family.EVENTS, "f.event_date", "f.event_date"),
    (Family.OUTCOMES, "f.outcome_date", "f.outcome_date"),
)


def coverage_sql(scope: Scope) -> BoundSql:
    """The first and the last date with any activity, event or outcome within `scope` (periods.data_coverage)."""
    parameters: dict[str, object] = {}
    parts = []
    for family, first, last in _COVERED:
        condition = scope_condition(family, scope, parameters)
        source = FAMILIES[family].source + (f" {_WITH_CLIENT}" if _USES_CLIENT.search(condition) else "")
        parts.append(f"SELECT min({first}) AS first, max({last}) AS last FROM {source}"
                     + (f" WHERE {condition}" if condition else ""))
    return BoundSql("SELECT min(first), max(last) FROM (" + "\nUNION ALL ".join(parts) + ")", parameters)
