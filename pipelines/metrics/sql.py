"""The metric SQL: one query per metric family over the published marts, pushed down to DuckDB.

Dimension and metric names and their SQL only ever come from the catalogue
(pipelines/metrics/catalogue/); user values (dates, filter values, the scope's centres and
districts) are bound as parameters, never formatted into the SQL text.

The user's scope is a condition on the fact rows themselves, inside the period's rows, before any
dimension is computed and before the request's filters apply: a filter can only narrow it, and
a filter value outside the scope selects nothing.

Protected queries (`protected=True`) compute each count's cell key in the same query over the same
rows, and for a record count or a sum the people behind it with their key (pipelines/metrics/
cell_key.py); the engine looks the published counts up and computes rates from them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from pipelines.access.model import Scope
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS_BY_NAME, Family, Kind
from pipelines.metrics.cell_key import cell_key_measure, count_parts


@dataclass(frozen=True)
class FamilySql:
    """How one family's rows are found and which row values its measures read.

    What each dimension and measure means is declared in the catalogue (pipelines/metrics/catalogue/).
    """

    source: str  # the fact table, alias f (dim_client is joined as c only when a column needs it)
    in_period: str  # WHERE condition selecting the period's rows
    inputs: dict[str, str]  # row values the measures aggregate
    # The row's date from which it is in every period (with the same start) ending then: `in_period` with a
    # later end is `in_period` and `start <= end` (a cumulative query's groups, family_sql's `ends`).
    start: str
    # Every measure counts people: rows are first made distinct per (group, client) and the
    # measures count those rows, reading registered_on joined after that (one DISTINCT aggregate
    # per measure is several times slower in DuckDB).
    people_only: bool = field(default=False)

    @property
    def table(self) -> str:
        """The fact table (the source without its alias)."""
        return self.source.split()[0]

    @property
    def names_people(self) -> bool:
        """Its rows name a client (events do not: their head counts are not people the data knows)."""
        return "client_key" in self.inputs

    @property
    def has_records(self) -> bool:
        """Its rows are records with record keys (activities are counted only as people)."""
        return not self.people_only


# person_code is one integer per client (record_keys.py: rank of client_key × key range + key), so
# joining on it joins the same rows as client_key does, and an integer join is about five times faster.
_WITH_CLIENT = "JOIN dim_client c ON c.person_code = f.person_code"
_NATIONAL_CODE = "f.national_code"  # one number per person across centres (record_keys.py)
_USES_CLIENT = re.compile(r"\bc\.")
# A client fact's copy of a client attribute (models/marts, macro client_attributes): column c.<attribute>
# of dim_client is f.client_<attribute> of the fact row, read there without joining dim_client.
CARRIED_PREFIX = "client_"


def _on_fact(sql: str, carried: frozenset[str]) -> str:
    """`sql` with each client attribute of `carried` read from the fact row's copy."""
    if not carried:
        return sql
    return re.sub(rf"\bc\.({'|'.join(sorted(carried))})\b", lambda found: f"f.{CARRIED_PREFIX}{found.group(1)}", sql)


# Rates are per area (Metric.requires: district or region): `d` is the row of the grouped row's district,
# else its region, with that area's foreign residents. A district code begins with its region's code, so
# where the row has both the larger code is the district (an unknown district, 'unknown', is larger still).
_RATE_AREAS = ("(SELECT code, foreign_residents FROM dim_district WHERE code <> 'unknown'"
               " UNION ALL SELECT code, foreign_residents FROM dim_region WHERE code <> 'unknown')")
_RATE_AREA = "list_max([*COLUMNS('^(district|region)$')])"

FAMILIES: dict[Family, FamilySql] = {
    Family.ACTIVITIES: FamilySql(
        source="fct_activities f",
        in_period="f.active_from <= $date_to AND f.active_to >= $date_from",
        inputs={"client_key": "f.client_key"},
        start="f.active_from",
        people_only=True,
    ),
    Family.CONTACTS: FamilySql(
        source="fct_contacts f",
        in_period="f.contact_date BETWEEN $date_from AND $date_to",
        inputs={"client_key": "f.client_key", "duration_min": "f.duration_min", "is_interpreted": "f.interpreted"},
        start="f.contact_date",
    ),
    Family.COURSES: FamilySql(
        source="fct_course_enrolments f",
        in_period="f.starts_on <= $date_to AND f.course_active_to >= $date_from",
        inputs={"client_key": "f.client_key", "completed": "f.completed", "level_gain": "f.level_gain"},
        start="f.starts_on",
    ),
    Family.EVENTS: FamilySql(
        source="fct_events f",
        in_period="f.event_date BETWEEN $date_from AND $date_to",
        inputs={"participants": "f.participants", "participants_foreign": "f.participants_foreign"},
        start="f.event_date",
    ),
    Family.OUTCOMES: FamilySql(
        source="fct_outcomes f",
        in_period="f.outcome_date BETWEEN $date_from AND $date_to",
        inputs={"client_key": "f.client_key", "days": "f.days_from_registration"},
        start="f.outcome_date",
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
    protected: Protected | None = None


def dimension_expression(family: Family, dimension: str) -> str:
    found = DIMENSIONS_BY_NAME[dimension]
    if family not in found.families:
        raise KeyError(f"dimension {dimension} does not apply to family {family}")
    return found.expression(family)


def _measure(name: str, by: Sequence[str]) -> str:
    metric = METRICS_BY_NAME[name]
    return metric.monthly_measure if "month" in by and metric.monthly_measure else metric.measure


PERIOD_END = "period_end"  # a cumulative query's group: the end of its period (family_sql's `ends`)


def _cumulative(sql: str, alias: str, end: str) -> str:
    """`sql` with the period's end read as the group's end (the column `end`, of `alias`)."""
    return sql.replace("$date_to", f"{alias}{end}").replace("$to_year", f"year({alias}{end})")


GATE = "__gate_"  # the perturbed people count behind a record count or a sum (protected queries)
KEY_PREFIX = "__ck_"  # cell key columns, dropped once the counts are looked up


def gate_column(metric: str) -> str:
    return GATE + metric


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
    exclude: dict[str, tuple[str, ...]] | None = None,
    protected: bool = False,
    national: bool = False,
    ends: Sequence[date] = (),
    carried: frozenset[str] = frozenset(),
) -> BoundSql:
    """One grouped query of a family: a column per dimension of `by`, then one per measure, then per rate.

    `measures` are aggregates over the family's rows; `rates` are computed from the grouped row.
    Only rows within `scope` are read (`scope_condition`); `where` filters those, and `exclude`
    drops rows with the values it names (the top-N rest). `protected`: the row also carries the
    cell keys and the people behind record counts and sums (`BoundSql.protected` names the columns),
    and rates are left to the engine, which computes them from the perturbed counts (`rates_sql`).
    `national`: a person is known by the national code (the linkage key, pipelines/metrics/linkage.py),
    so one served by several centres counts once; the first registration is the person's (dim_person).
    `ends`: a cumulative query (`by` is then (PERIOD_END,)): one group per end (none after date_to), holding
    the rows of the period date_from .. that end, every use of the period's end ($date_to, $to_year) read
    as the group's end (`_cumulative`), so a group is the one-period query of its span.
    `carried`: the client attributes the family's fact table carries (`CARRIED_PREFIX`), read from its rows:
    a dimension or scope reading only those needs no join with dim_client; the same values either way.
    """
    spec = FAMILIES[family]
    exclude = exclude or {}
    parameters: dict[str, object] = {"date_from": date_from, "date_to": date_to}
    in_scope = scope_condition(family, scope, parameters)
    if ends and tuple(by) != (PERIOD_END,):
        raise ValueError(f"a cumulative query is grouped by {PERIOD_END} alone, not {', '.join(by)}")
    needed = [d for d in dict.fromkeys([*by, *where, *exclude]) if not (ends and d == PERIOD_END)]
    chosen = {name: _cumulative(_measure(name, by), "", PERIOD_END) if ends else _measure(name, by)
              for name in measures}
    aggregates = [f"{chosen[name]} AS {name}" for name in measures]
    read = list(chosen.values())
    split = None
    registers = spec.people_only and any("registered_on" in chosen[m] for m in measures)
    # Each measure reading the registration counts only people registered from the period's start to its
    # end (or a group's end within it): only those registrations need joining, to every person reached.
    in_period_only = registers and all(_registered_in_period(chosen[m]) for m in measures
                                       if "registered_on" in chosen[m])
    # Who a row names: a protected query knows a person by person_code (an integer, one per client,
    # record_keys.py), which counts, groups and joins the same people as the client_key string, faster.
    person = "person_code" if protected and spec.names_people else "client_key"
    # Nationally a person is their national code, under the names the measures read.
    available = {**spec.inputs, "client_key": _NATIONAL_CODE} if national and spec.names_people else spec.inputs
    if protected:
        split = _protected_measures(spec, chosen, codes="r.person_code" if registers and not in_period_only
                                    else "people.person_code")
        aggregates = [f"{split.rows[name]} AS {name}" for name in split.order if name in split.rows]
        read = [*split.rows.values(), *split.flags, *split.units.values(), *split.people.values(),
                *(["person_code"] if split.people else [])]
        available = {n: e for n, e in spec.inputs.items() if n != "client_key"}
        available |= {person: _NATIONAL_CODE if national else f"f.{person}"} if spec.names_people else {}
        available |= {"record_key": "f.record_key"} if spec.has_records else {}
    # Only the inputs the aggregates read, so the client join happens only when needed.
    inputs = {
        n: e for n, e in available.items()
        if (spec.people_only and n == person) or any(re.search(rf"\b{n}\b", a) for a in read)
    }
    columns = [f"{dimension_expression(family, d)} AS {d}" for d in needed]
    columns, in_scope = [_on_fact(c, carried) for c in columns], _on_fact(in_scope, carried)
    # A cumulative query whose rows' values do not depend on the period's end (no age, no months of a
    # range) counts its people from one row per (person, first end) (`_cumulative_people`).
    steady = bool(ends) and all(_cumulative(c, "m.", PERIOD_END) == c for c in columns)
    if ends:
        columns = [f"m.{PERIOD_END} AS {PERIOD_END}", *(_cumulative(c, "m.", PERIOD_END) for c in columns)]
    if any("$to_year" in c for c in columns):  # age at the period's end
        parameters["to_year"] = date_to.year
    columns += [f"{expression} AS {name}" for name, expression in inputs.items()]
    uses_client = any(_USES_CLIENT.search(c) for c in [*columns, in_scope])
    source = spec.source + (f" {_WITH_CLIENT}" if uses_client else "")
    plain_source = source
    if ends:  # each row once per end from its own on (the family's period condition with that end)
        source += f" JOIN period_ends m ON {_cumulative(spec.in_period, 'm.', PERIOD_END)}"
    columns = columns or ["1 AS one_row"]  # count(*) alone reads no column
    conditions = []
    for index, (dimension, values) in enumerate(where.items()):
        names = []
        for position, value in enumerate(values):
            key = f"w{index}_{position}"
            parameters[key] = value
            names.append(f"${key}")
        conditions.append(f"{DIMENSIONS_BY_NAME[dimension].code(dimension)} IN ({', '.join(names)})")
    for index, (dimension, values) in enumerate(exclude.items()):
        names = []
        for position, value in enumerate(values):
            key = f"x{index}_{position}"
            parameters[key] = value
            names.append(f"${key}")
        conditions.append(f"{DIMENSIONS_BY_NAME[dimension].code(dimension)} NOT IN ({', '.join(names)})")
    rows = f"{spec.in_period} AND {in_scope}" if in_scope else spec.in_period
    period_rows = f"WITH period_rows AS (SELECT {', '.join(columns)} FROM {source} WHERE {rows})\n"
    if ends:
        listed = []
        for position, end in enumerate(sorted(set(ends))):
            parameters[f"e{position}"] = end
            listed.append(f"(CAST($e{position} AS DATE))")
        period_rows = (f"WITH period_ends AS (SELECT * FROM (VALUES {', '.join(listed)}) AS e({PERIOD_END}))\n, "
                       + period_rows.removeprefix("WITH "))
    if steady:  # each row once, with its first end: the end of its month, within the period
        plain = [c for c in columns if not c.startswith(f"m.{PERIOD_END} ")] or ["1 AS one_row"]
        bucket = f"least(last_day(greatest({spec.start}, $date_from)), $date_to) AS __first"
        period_rows += (f", first_rows AS (SELECT {', '.join([*plain, bucket])} FROM {plain_source}"
                        f" WHERE {rows})\n")
    filtered = f"\nWHERE {' AND '.join(conditions)}" if conditions else ""
    grouping = f"\nGROUP BY {', '.join(by)}" if by else ""
    if spec.people_only:
        table, key = ("dim_person", "person_code") if national else ("dim_client", person)
        # The registrations of the period (a small share of the table), each joined to its person if reached.
        of_period = (f"(SELECT {key}, registered_on FROM {table} WHERE registered_on BETWEEN $date_from AND $date_to)"
                     f" r ON r.{key}")
        registration = "" if not registers else (
            f" LEFT JOIN {of_period} = people.{person}" if in_period_only else
            f" JOIN {table} r ON r.{key} = people.{person}")
        counted = _cumulative_people_counts(person, aggregates, of_period if registers else None,
                                            filtered) if steady else None
        if counted is not None:
            grouped = period_rows + counted
        else:
            people = (_cumulative_people(person, {}, {}, filtered) if steady else None) or (
                f", people AS (SELECT DISTINCT {', '.join([*by, person])} FROM period_rows{filtered})\n")
            grouped = (
                period_rows
                + people
                + f"SELECT {', '.join([*(f'people.{d} AS {d}' for d in by), *aggregates])} FROM people{registration}"
                + (f"\nGROUP BY {', '.join(f'people.{d}' for d in by)}" if by else "")
            )
    elif split is not None and split.people:
        grouped = period_rows + _rows_beside_people(by, split, filtered, steady=steady)
    else:
        grouped = period_rows + f"SELECT {', '.join([*by, *aggregates])} FROM period_rows" + filtered + grouping
    if rates and not protected:
        grouped = rates_sql(rates, f"({grouped})")
    written = [f"{DIMENSIONS_BY_NAME[d].code(d)} AS {d}" for d in by if d in DIMENSIONS_BY_NAME
               and DIMENSIONS_BY_NAME[d].written]
    if written:  # each group's value written as its code once, after grouping
        grouped = f"SELECT * REPLACE ({', '.join(written)}) FROM ({grouped})"
    return BoundSql(grouped, parameters, split.plan if split is not None else None)


def _rows_beside_people(by: Sequence[str], split: _Split, filtered: str, *, steady: bool = False) -> str:
    """A protected record family's row: the aggregates over its rows beside those over one row per
    (group, person), where a count of distinct people is a plain count and its key a plain sum (DuckDB
    builds a hash table per DISTINCT aggregate and filter; here there is one, the people), and a sum's
    largest contribution of one person the largest of the people's sums. `steady`: a cumulative query's
    people rows come from one row per (person, first end) (`_cumulative_people`) where its sums allow."""
    grouping = f" GROUP BY {', '.join(by)}" if by else ""
    per_person = [*by, "person_code"]
    flags = [f"bool_or({condition}) AS {flag}" for condition, flag in split.flags.items()]
    flags += [f"{sql} AS {name}" for name, sql in split.units.items()]
    by_steps = _cumulative_people_by_steps(split.flags, split.units, filtered, split.people) if steady else None
    if by_steps is not None:
        people, counted = by_steps
    else:
        people = (_cumulative_people("person_code", split.flags, split.units, filtered) if steady else None) or (
                  f", people AS (SELECT {', '.join([*per_person, *flags])} FROM period_rows{filtered}"
                  f" GROUP BY {', '.join(per_person)})\n" if flags else
                  f", people AS (SELECT DISTINCT {', '.join(per_person)} FROM period_rows{filtered})\n")
        counted = (f"SELECT {', '.join([*by, *(f'{sql} AS {n}' for n, sql in split.people.items())])}"
                   f" FROM people{grouping}")
    if not split.rows:
        return people + counted
    records = (f"SELECT {', '.join([*by, *(f'{sql} AS {n}' for n, sql in split.rows.items())])} FROM period_rows"
               + filtered + grouping)
    records = (_cumulative_records(split.rows, filtered) if steady else None) or records
    # The same groups on both sides (every row names a person): one row each, matched on the groups.
    join = ("JOIN people_counts p ON " + " AND ".join(f"g.{d} IS NOT DISTINCT FROM p.{d}" for d in by)
            if by else "CROSS JOIN people_counts p")
    columns = [*(f"g.{d} AS {d}" for d in by),
               *(f"{'p' if n in split.people else 'g'}.{n} AS {n}" for n in split.order)]
    return (people + f", people_counts AS ({counted})\n, record_counts AS ({records})\n"
            f"SELECT {', '.join(columns)} FROM record_counts g {join}")


# An aggregate over the people rows of a protected record family (`_protected_measures`): a count of them,
# a sum of their codes or the largest of a unit, of all of them or of those with a flag.
_PEOPLE_ROWS_AGGREGATE = re.compile(r"(?P<kind>count|sum|max)\((?:\*|[\w.]+)\)(?: FILTER \(WHERE \w+\))?")
_COMBINED = {"count": "CAST(sum({}) AS BIGINT)", "sum": "sum({})", "max": "max({})"}  # per end, over the steps


def _cumulative_people_by_steps(flags: dict[str, str], units: dict[str, str], filtered: str,
                                aggregates: dict[str, str]) -> tuple[str, str] | None:
    """A cumulative query's people aggregates (`aggregates`: column -> SQL over the people rows) without a
    row per (end, person): each (person, first end) row of `_person_steps` stands for the ends from its
    first end up to the person's next, so the rows sharing that span are aggregated once, and each end
    combines the spans that hold it (counts and sums added, the largest the largest). Returns the CTEs and
    the SELECT of `people_counts`; None where an aggregate is of another kind or a unit not a sum."""
    found = {name: _PEOPLE_ROWS_AGGREGATE.fullmatch(sql) for name, sql in aggregates.items()}
    steps = _person_steps("person_code", flags, units, filtered)
    if steps is None or not all(found.values()):
        return None
    ctes, columns = steps
    spans = [f"{sql} AS {name}" for name, sql in aggregates.items()]
    combined = [f"{_COMBINED[match['kind']].format(f'i.{name}')} AS {name}" for name, match in found.items()]
    ctes += (f", people_spans AS (SELECT people.__first AS __first, people.__next AS __next, {', '.join(spans)}"
             f" FROM (SELECT {', '.join([*(f's.{c} AS {c}' for c in ('person_code', '__first', '__next')), *columns])}"
             f" FROM person_steps s) people GROUP BY people.__first, people.__next)\n")
    counted = (f"SELECT m.{PERIOD_END} AS {PERIOD_END}, {', '.join(combined)} FROM people_spans i"
               f" JOIN period_ends m ON m.{PERIOD_END} >= i.__first AND (i.__next IS NULL OR m.{PERIOD_END} < i.__next)"
               f" GROUP BY m.{PERIOD_END}")
    return ctes, counted


def _first_steps(person: str, filtered: str) -> str:
    """`person_steps` where nothing is cumulated: each person once, with their first end (no next)."""
    return (f", person_steps AS (SELECT {person}, min(__first) AS __first, NULL::DATE AS __next"
            f" FROM first_rows{filtered} GROUP BY {person})\n")


def _person_steps(person: str, flags: dict[str, str], units: dict[str, str], filtered: str
                  ) -> tuple[str, list[str]] | None:
    """`person_steps`: one row per (person, first end) with the person's next first end (`__next`, NULL for
    the last), and the columns of the person's rows up to it (each flag, each unit's final value) as SQL
    over `s`; None where a unit is not sums of the rows (`_decomposed`)."""
    if not flags and not units:
        return _first_steps(person, filtered), []
    found = _decomposed(units)
    if found is None:
        return None
    parts, totals, finals = found
    summed = [f"bool_or({condition}) AS {flag}" for condition, flag in flags.items()]
    summed += [f"{sql} AS {name}" for name, sql in parts.items()]
    cumulated = [f"bool_or({flag}) OVER w AS {flag}" for flag in flags.values()]
    cumulated += [f"{totals[name]} OVER w AS {name}" for name in parts]
    columns = [f"s.{flag} AS {flag}" for flag in flags.values()] + [f"{sql} AS {n}" for n, sql in finals.items()]
    return (f", person_firsts AS (SELECT {', '.join([person, '__first', *summed])} FROM first_rows{filtered}"
            f" GROUP BY {person}, __first)\n"
            f", person_steps AS (SELECT {', '.join([person, '__first', 'lead(__first) OVER w AS __next', *cumulated])}"
            f" FROM person_firsts WINDOW w AS (PARTITION BY {person} ORDER BY __first))\n"), columns


def _cumulative_people(person: str, flags: dict[str, str], units: dict[str, str], filtered: str) -> str | None:
    """A cumulative query's `people`: one row per (end, person) with a row up to that end, each flag (a
    condition -> its column) true where one of the person's rows up to that end meets it, each unit (column
    -> the sum over the person's rows) over those rows; from `first_rows`, each row once with its first end.

    The person's rows are summed per first end, then cumulated over their first ends (`_person_steps`),
    and each (person, first end) stands for the ends up to the person's next first end: no row per
    (end, row), as the join of `period_rows` has. None where a unit is not sums of the rows
    (`_decomposed`): the caller groups `period_rows` then.
    """
    steps = _person_steps(person, flags, units, filtered)
    if steps is None:
        return None
    ctes, columns = steps
    selected = [f"m.{PERIOD_END} AS {PERIOD_END}", f"s.{person} AS {person}", *columns]
    return ctes + (f", people AS (SELECT {', '.join(selected)}"
                   f" FROM person_steps s JOIN period_ends m ON m.{PERIOD_END} >= s.__first"
                   f" WHERE s.__next IS NULL OR m.{PERIOD_END} < s.__next)\n")


# A count of the people registered from the period's start to its end (or to a group's end within it),
# then perhaps more conditions, all of which must hold (no OR).
_REGISTERED_IN_PERIOD = re.compile(
    rf"count\(\*\) FILTER \(WHERE registered_on BETWEEN \$date_from AND (?:\$date_to|{PERIOD_END})(?: AND [^()]*"
    r"(?:\([^()]*\)[^()]*)*)?\)")


def _registered_in_period(measure: str) -> bool:
    """Whether `measure` counts only people registered within the period (`_REGISTERED_IN_PERIOD`): a
    person registered at any other time is never counted, so only those registrations need joining."""
    return bool(_REGISTERED_IN_PERIOD.fullmatch(measure)) and not re.search(r"\bOR\b", measure, re.IGNORECASE)


# A people-only family's aggregate over its people rows, as a cumulative query has it: a count of the people
# or a sum of their codes (a cell key), of all of them or of those registered from the period's start to
# the group's end (new clients).
_PEOPLE_AGGREGATE = re.compile(
    r"(?P<kind>count\(\*\)|sum\((?:r|people)\.person_code\))"
    rf"(?P<registered> FILTER \(WHERE registered_on BETWEEN \$date_from AND {PERIOD_END}\))? AS (?P<name>\w+)")


def _cumulative_people_counts(person: str, aggregates: Sequence[str], registrations: str | None,
                              filtered: str) -> str | None:
    """A people-only cumulative query's `people` and final row, without a row per (end, person): each person
    once with their first end and, registered within the period, the end their registration falls in (the
    first end from which they are new: ends are month ends, the last one the period's end, as `__first`
    assumes); the people counted per such pair, and each end's figures summed over the pairs up to it.
    `registrations`: the period's registrations (`registered_on`), left-joined on the person, None if no
    aggregate reads them. None where an aggregate is not a count of the people or a sum of their codes, with
    or without the registration condition (`_PEOPLE_AGGREGATE`): the caller expands the people per end then."""
    found = [_PEOPLE_AGGREGATE.fullmatch(a) for a in aggregates]
    if not all(found):
        return None
    # (least() passes over a NULL: a person with no registration in the period must stay NULL.)
    registered = (", CASE WHEN r.registered_on IS NOT NULL THEN least(last_day(r.registered_on), $date_to) END"
                  " AS __registered") if registrations else ""
    joined = f" LEFT JOIN {registrations} = s.{person}" if registrations else ""
    # The codes summed are the people rows' (the registration's person_code is the same number: the join key).
    codes = ", sum(s.person_code) AS __codes" if any(m["kind"] != "count(*)" for m in found) else ""
    columns = []
    for match in found:
        condition = f" FILTER (WHERE __registered <= m.{PERIOD_END})" if match["registered"] else ""
        total = (f"CAST(coalesce(sum(__people){condition}, 0) AS BIGINT)" if match["kind"] == "count(*)"
                 else f"sum(__codes){condition}")
        columns.append(f"{total} AS {match['name']}")
    return (_first_steps(person, filtered)
            + f", starts AS (SELECT s.__first AS __first{registered}, count(*) AS __people{codes}"
            f" FROM person_steps s{joined} GROUP BY ALL)\n"
            f"SELECT m.{PERIOD_END} AS {PERIOD_END}, {', '.join(columns)}"
            f" FROM starts JOIN period_ends m ON m.{PERIOD_END} >= starts.__first GROUP BY m.{PERIOD_END}")


def _cumulative_records(records: dict[str, str], filtered: str) -> str | None:
    """A cumulative query's `record_counts` (one row per end reached, its aggregates over the rows up to that
    end) from the aggregates per first end; None where an aggregate is not sums of the rows (`_decomposed`)."""
    found = _decomposed(records)
    if found is None:
        return None
    parts, totals, finals = found
    summed = [f"{sql} AS {name}" for name, sql in parts.items()]
    cumulated = [f"{totals[name]} AS {name}" for name in parts]
    return (f"WITH record_firsts AS (SELECT {', '.join(['__first', *summed])} FROM first_rows{filtered}"
            f" GROUP BY __first)\n"
            f", record_steps AS (SELECT {', '.join([f'm.{PERIOD_END} AS {PERIOD_END}', *cumulated])}"
            f" FROM record_firsts JOIN period_ends m ON m.{PERIOD_END} >= __first GROUP BY m.{PERIOD_END})\n"
            f"SELECT {', '.join([f's.{PERIOD_END} AS {PERIOD_END}', *(f'{sql} AS {n}' for n, sql in finals.items())])}"
            f" FROM record_steps s")


# A sum or a count of rows, with its FILTER (conditions of the catalogue's measures hold no parentheses).
_SUMMED = re.compile(r"\b(sum\([^()]*\)|count\(\*\))( FILTER \(WHERE [^()]*\))?")
_CALL = re.compile(r"\b([a-z_]+)\s*\(", re.IGNORECASE)
_SCALAR = {"round", "coalesce", "cast", "greatest", "least", "abs"}  # what a decomposed aggregate may apply


def _decomposed(aggregates: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]] | None:
    """Aggregates made of sums (of integer row values: the sums of parts are the same numbers) and counts of
    rows, each with its FILTER (`round(coalesce(sum(x), 0) / 60.0, 1)`), as (parts: column -> an aggregate
    that adds up over disjoint rows; per part its total, an aggregate over the parts' column, with the
    part's type; per aggregate its expression over the totals, as columns of `s`). None for anything else
    (a DISTINCT, a median, ...)."""
    parts: dict[str, str] = {}
    totals: dict[str, str] = {}
    finals: dict[str, str] = {}
    for name, sql in aggregates.items():
        if re.search(r"\b(DISTINCT|OVER)\b", sql, re.IGNORECASE):
            return None

        def part(match: re.Match[str]) -> str:
            column = f"__part{len(parts)}"
            parts[column] = match.group(0)
            # A sum of counts is a HUGEINT in DuckDB: back to the count's BIGINT.
            totals[column] = f"CAST(sum({column}) AS BIGINT)" if match.group(1) == "count(*)" else f"sum({column})"
            return f"s.{column}"

        final = _SUMMED.sub(part, sql)
        if "FILTER" in final.upper() or any(c.group(1).lower() not in _SCALAR for c in _CALL.finditer(final)):
            return None
        finals[name] = final
    return parts, totals, finals


@dataclass(frozen=True)
class Protected:
    """What a protected query adds to a family's grouped row: per count metric, the column of its cell key;
    per record count or sum, the columns of the people behind it and of their cell key."""

    keys: dict[str, str]
    gates: dict[str, tuple[str, str]]
    # Per sum of people's contributions: the columns of the cell key of the people behind it and of the
    # largest contribution of one person (cell_key.perturbed_sums).
    sums: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Split:
    """A protected family's aggregates: over its rows, and (a record family naming people) over one row per
    (group, person), which carries per measure condition whether one of the person's rows meets it."""

    rows: dict[str, str]  # column -> aggregate SQL over the family's rows
    people: dict[str, str]  # column -> aggregate SQL over the people rows: counts of distinct people, their keys
    flags: dict[str, str]  # condition of a count -> the people rows' column saying one of the person's rows meets it
    order: list[str]  # every column, in the order of the family's row
    plan: Protected
    units: dict[str, str] = field(default_factory=dict)  # column of the people rows -> its sum over a person's rows


def _protected_measures(spec: FamilySql, chosen: dict[str, str], *, codes: str) -> _Split:
    """The measures as a protected query computes them, and the aggregates it adds, each distinct one once.

    Distinct people are counted by person_code (one integer per person, record_keys.py), which counts
    the same as client_key and is cheaper: `count(DISTINCT person_code)` beside its key
    `sum(DISTINCT person_code)` (one distinct table for both). Where a record family counts distinct
    people under a condition (a unique metric's FILTER, or the people behind a filtered record count),
    each condition would be a distinct table of its own: the people counts and their keys are then
    computed over one row per (group, person) instead (_rows_beside_people), as `count(*)` and
    `sum(person_code)`, each condition a column of that row. `codes`: the column of the person codes of a
    people-only family's rows.
    """
    kinds = {name: METRICS_BY_NAME[name].kind for name in chosen}
    parts = {name: count_parts(measure) if kinds[name] in (Kind.UNIQUE, Kind.COUNT) else ("", "")
             for name, measure in chosen.items()}
    conditioned = any(condition and (counted == "DISTINCT client_key" or kinds[name] is Kind.COUNT)
                      for name, (counted, condition) in parts.items())
    # A sum of people's contributions needs its largest contribution of one person: one row per (group,
    # person) with the person's sum. (Event head counts name no person and are not perturbed.)
    sums = [name for name in chosen if kinds[name] is Kind.SUM] if spec.names_people else []
    by_person = (conditioned or bool(sums)) and spec.names_people and not spec.people_only
    rows: dict[str, str] = {}
    people: dict[str, str] = {}
    flags: dict[str, str] = {}
    units: dict[str, str] = {}
    order: list[str] = []
    added: dict[tuple[bool, str], str] = {}  # (people rows?, aggregate SQL) -> column name

    def column(side: dict[str, str], sql: str, name: str) -> str:
        found = added.setdefault((side is people, sql), name)
        if found == name:
            side[name] = sql
            order.append(name)
        return found

    def people_count(condition: str) -> tuple[dict[str, str], str, str]:
        """Where the count of a group's people with a row meeting `condition` ("": any row) is computed,
        the count and its cell key."""
        if not by_person:
            clause = f" FILTER (WHERE {condition})" if condition else ""
            return (rows, f"count(DISTINCT person_code){clause}",
                    cell_key_measure(f"count(DISTINCT client_key){clause}", people_rows=False))
        clause = f" FILTER (WHERE {flags.setdefault(condition, f'__person_{len(flags)}')})" if condition else ""
        return people, f"count(*){clause}", cell_key_measure(f"count(*){clause}", people_rows=True)

    keys, gates = {}, {}
    for name, measure in chosen.items():
        counted, condition = parts[name]
        if counted == "DISTINCT client_key":
            side, count, key = people_count(condition)
            side[name] = count
            added.setdefault((side is people, count), name)  # the people behind a record count may be these
        else:
            side, key = rows, cell_key_measure(measure, people_rows=spec.people_only, codes=codes) if counted else ""
            rows[name] = measure
        order.append(name)
        if key:
            keys[name] = column(side, key, f"{KEY_PREFIX}{name}")
    for name, (_, condition) in parts.items():  # after the measures: the people behind records may be theirs
        if spec.names_people and kinds[name] in (Kind.COUNT, Kind.SUM):
            if spec.people_only:
                raise ValueError(f"{name}: a record count or sum needs record rows, not one row per person")
            # The people behind the records the measure reads: those with a row meeting its condition.
            side, count, key = people_count(condition if kinds[name] is Kind.COUNT else "")
            gates[name] = (column(side, count, f"{GATE}{name}"), column(side, key, f"{KEY_PREFIX}{GATE}{name}"))
    sum_cells = {}
    for name in sums:
        units[f"{KEY_PREFIX}unit_{name}"] = chosen[name]  # the sum over one person's rows of the group
        largest = column(people, f"max({KEY_PREFIX}unit_{name})", f"{KEY_PREFIX}largest_{name}")
        sum_cells[name] = (gates[name][1], largest)  # the cell key of the people behind the sum
    return _Split(rows, people, flags, order, Protected(keys, gates, sum_cells), units=units)


def rates_sql(rates: Sequence[str], relation: str) -> str:
    """The rates over a grouped relation (a protected query's perturbed counts, registered by the engine)."""
    derived = ", ".join(f"{METRICS_BY_NAME[name].measure} AS {name}" for name in rates)
    return (f"SELECT g.* EXCLUDE (__area), {derived}\nFROM (SELECT *, {_RATE_AREA} AS __area FROM {relation}) g"
            f" LEFT JOIN {_RATE_AREAS} d ON d.code = g.__area")


def last_activity_sql() -> str:
    """The last day anything happened in the published data (a contact, a course start, an event, an
    outcome): periods are clamped to it, across every scope, so asking about later years changes nothing."""
    return ("SELECT greatest((SELECT max(active_from) FROM fct_activities), (SELECT max(event_date) FROM fct_events),"
            " (SELECT max(outcome_date) FROM fct_outcomes))")


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
