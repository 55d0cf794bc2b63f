"""The metric SQL: one query per metric family over the published marts, pushed down to DuckDB.

Dimension and metric names only ever come from the whitelists below; user values (dates,
filter values) are bound as parameters, never formatted into the SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from pipelines.metrics.definitions import Family

# Client attributes from the client's current record (alias c = dim_client).
_CLIENT_DIMENSIONS = {
    "nationality": "coalesce(c.nationality, 'unknown')",
    "district": "coalesce(c.district, 'unknown')",
    "target_group": "coalesce(c.target_group, 'unknown')",
    "sex": "coalesce(c.sex, 'unknown')",
    "residence_status": "coalesce(c.residence_status, 'unknown')",
    "age_band": """CASE
        WHEN c.birth_year IS NULL THEN 'unknown'
        WHEN $to_year - c.birth_year < 18 THEN '0-17'
        WHEN $to_year - c.birth_year < 30 THEN '18-29'
        WHEN $to_year - c.birth_year < 45 THEN '30-44'
        WHEN $to_year - c.birth_year < 65 THEN '45-64'
        ELSE '65+' END""",
}

_BOOLEAN = "CASE WHEN {0} THEN 'true' WHEN NOT {0} THEN 'false' ELSE 'unknown' END"

# Months a dated range touches within the period: a course counts in every month it runs.
_MONTHS_OF_RANGE = (
    "strftime(unnest(generate_series(date_trunc('month', greatest({start}, $date_from)),"
    " date_trunc('month', least({end}, $date_to)), INTERVAL 1 MONTH)), '%Y-%m')"
)


@dataclass(frozen=True)
class FamilySql:
    """How one family's rows are found, what each dimension means for them and what is measured."""

    source: str  # the fact table, alias f (dim_client is joined as c only when a column needs it)
    in_period: str  # WHERE condition selecting the period's rows
    month: str  # expression of the activity month (may unnest to several months)
    dimensions: dict[str, str]
    inputs: dict[str, str]  # row values the metrics aggregate
    measures: dict[str, str]  # metric name -> aggregate over the inputs
    client_dimensions: bool = field(default=True)
    # Measures whose meaning narrows to the row's month when grouped by month.
    monthly_measures: dict[str, str] = field(default_factory=dict)
    # Every measure counts people: rows are first made distinct per (group, client) and the
    # measures count those rows, reading registered_on joined after that (one DISTINCT aggregate
    # per measure is several times slower in DuckDB).
    people_only: bool = False


_WITH_CLIENT = "JOIN dim_client c ON c.client_key = f.client_key"
_USES_CLIENT = re.compile(r"\bc\.")

FAMILIES: dict[Family, FamilySql] = {
    Family.ACTIVITIES: FamilySql(
        source="fct_activities f",
        in_period="f.active_from <= $date_to AND f.active_to >= $date_from",
        month=_MONTHS_OF_RANGE.format(start="f.active_from", end="f.active_to"),
        dimensions={"service": "f.service", "centre": "f.centre"},
        inputs={"client_key": "f.client_key"},
        # Over one row per (group, client): see people_only.
        measures={
            "clients_reached": "count(*)",
            "new_clients": "count(*) FILTER (WHERE registered_on BETWEEN $date_from AND $date_to)",
        },
        # Per month, a new client is one reached in the month it registered (within the period).
        monthly_measures={
            "new_clients": "count(*) FILTER (WHERE registered_on BETWEEN $date_from AND $date_to "
            "AND strftime(registered_on, '%Y-%m') = month)",
        },
        people_only=True,
    ),
    Family.CONTACTS: FamilySql(
        source="fct_contacts f",
        in_period="f.contact_date BETWEEN $date_from AND $date_to",
        month="strftime(f.contact_date, '%Y-%m')",
        dimensions={
            "service": "f.service",
            "centre": "f.centre",
            "topic": "coalesce(f.topic, 'unknown')",
            "mode": "coalesce(f.mode, 'unknown')",
            "branch": "coalesce(f.branch, 'unknown')",
            "interpreted": _BOOLEAN.format("f.interpreted"),
        },
        inputs={"client_key": "f.client_key", "duration_min": "f.duration_min", "is_interpreted": "f.interpreted"},
        measures={
            "contacts": "count(*)",
            "clients_contacted": "count(DISTINCT client_key)",
            "service_hours": "round(coalesce(sum(duration_min), 0) / 60.0, 1)",
            "interpreted_contacts": "count(*) FILTER (WHERE is_interpreted)",
        },
    ),
    Family.COURSES: FamilySql(
        source="fct_course_enrolments f",
        in_period="f.starts_on <= $date_to AND f.course_active_to >= $date_from",
        month=_MONTHS_OF_RANGE.format(start="f.starts_on", end="f.course_active_to"),
        dimensions={
            "service": "f.course_type",
            "course_type": "f.course_type",
            "centre": "f.centre",
            "branch": "coalesce(f.branch, 'unknown')",
            "level_in": "coalesce(f.level_in, 'unknown')",
            "level_out": "coalesce(f.level_out, 'unknown')",
            "exam": "coalesce(f.exam, 'not_taken')",
            "attendance_band": """CASE
                WHEN f.attendance_pct IS NULL THEN 'unknown'
                WHEN f.attendance_pct < 25 THEN '0-24'
                WHEN f.attendance_pct < 50 THEN '25-49'
                WHEN f.attendance_pct < 75 THEN '50-74'
                ELSE '75-100' END""",
        },
        inputs={"client_key": "f.client_key", "completed": "f.completed", "level_gain": "f.level_gain"},
        measures={
            "course_participants": "count(DISTINCT client_key)",
            "enrolments": "count(*)",
            "course_completions": "count(*) FILTER (WHERE completed)",
            "level_gains": "count(*) FILTER (WHERE level_gain)",
            "clients_with_level_gain": "count(DISTINCT client_key) FILTER (WHERE level_gain)",
        },
    ),
    Family.EVENTS: FamilySql(
        source="fct_events f",
        in_period="f.event_date BETWEEN $date_from AND $date_to",
        month="strftime(f.event_date, '%Y-%m')",
        dimensions={
            "district": "coalesce(f.district, 'unknown')",
            "service": "'event_' || f.event_type",
            "event_type": "f.event_type",
            "audience": "coalesce(f.audience, 'unknown')",
            "centre": "f.centre",
        },
        inputs={"participants": "f.participants", "participants_foreign": "f.participants_foreign"},
        measures={
            "events": "count(*)",
            "event_attendance": "CAST(coalesce(sum(participants), 0) AS BIGINT)",
            "event_participants_foreign": "CAST(coalesce(sum(participants_foreign), 0) AS BIGINT)",
        },
        client_dimensions=False,
    ),
    Family.OUTCOMES: FamilySql(
        source="fct_outcomes f",
        in_period="f.outcome_date BETWEEN $date_from AND $date_to",
        month="strftime(f.outcome_date, '%Y-%m')",
        dimensions={
            "outcome": "f.outcome",
            "verified": _BOOLEAN.format("f.verified"),
            "centre": "f.centre",
            "days_to_outcome_band": """CASE
                WHEN f.days_from_registration IS NULL OR f.days_from_registration < 0 THEN 'unknown'
                WHEN f.days_from_registration <= 30 THEN '0-30'
                WHEN f.days_from_registration <= 90 THEN '31-90'
                WHEN f.days_from_registration <= 180 THEN '91-180'
                WHEN f.days_from_registration <= 365 THEN '181-365'
                ELSE '366+' END""",
        },
        inputs={"client_key": "f.client_key", "days": "f.days_from_registration"},
        measures={
            "outcomes": "count(*)",
            "clients_with_outcome": "count(DISTINCT client_key)",
            "median_days_to_outcome": "round(median(days), 1)",
        },
    ),
}

# Derived from the activity family's clients_reached after grouping (needs `district` in by).
REACH_PER_1000 = """CASE WHEN d.in_usti_region AND d.foreign_residents > 0
    THEN round(g.clients_reached * 1000.0 / d.foreign_residents, 2) END"""


@dataclass(frozen=True)
class BoundSql:
    text: str
    parameters: dict[str, object]


def dimension_expression(family: Family, dimension: str) -> str:
    spec = FAMILIES[family]
    if dimension == "month":
        return spec.month
    if dimension in spec.dimensions:
        return spec.dimensions[dimension]
    if spec.client_dimensions and dimension in _CLIENT_DIMENSIONS:
        return _CLIENT_DIMENSIONS[dimension]
    raise KeyError(f"dimension {dimension} does not apply to family {family}")


def family_sql(
    family: Family,
    date_from: date,
    date_to: date,
    by: Sequence[str],
    where: dict[str, tuple[str, ...]],
    measures: Sequence[str],
    with_reach_rate: bool = False,
) -> BoundSql:
    """One grouped query of a family: a column per dimension of `by`, then one per measure."""
    spec = FAMILIES[family]
    parameters: dict[str, object] = {"date_from": date_from, "date_to": date_to}
    needed = list(dict.fromkeys([*by, *where]))
    if "age_band" in needed:
        parameters["to_year"] = date_to.year
    chosen = {**spec.measures, **spec.monthly_measures} if "month" in by else spec.measures
    aggregates = [f"{chosen[name]} AS {name}" for name in measures]
    # Only the inputs the chosen measures read, so the client join happens only when needed.
    inputs = {
        n: e for n, e in spec.inputs.items()
        if (spec.people_only and n == "client_key") or any(re.search(rf"\b{n}\b", chosen[m]) for m in measures)
    }
    columns = [f"{dimension_expression(family, d)} AS {d}" for d in needed]
    columns += [f"{expression} AS {name}" for name, expression in inputs.items()]
    source = spec.source + (f" {_WITH_CLIENT}" if any(_USES_CLIENT.search(c) for c in columns) else "")
    columns = columns or ["1 AS one_row"]  # count(*) alone reads no column
    conditions = []
    for index, (dimension, values) in enumerate(where.items()):
        names = []
        for position, value in enumerate(values):
            key = f"w{index}_{position}"
            parameters[key] = value
            names.append(f"${key}")
        conditions.append(f"{dimension} IN ({', '.join(names)})")
    period_rows = f"WITH period_rows AS (SELECT {', '.join(columns)} FROM {source} WHERE {spec.in_period})\n"
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
    if with_reach_rate:
        grouped = (
            f"SELECT g.*, {REACH_PER_1000} AS reach_per_1000_foreign\n"
            f"FROM ({grouped}) g LEFT JOIN dim_district d ON d.code = g.district"
        )
    return BoundSql(grouped, parameters)
