"""A metric request (period, metrics, grouping, filters, the user's scope) and its validation against the catalogue.

The scope is part of every query and has no default: a query that does not say whose figures
it asks for cannot be written (access.md, "Scope"). The SQL builder applies it below every
filter, so a filter can only narrow it.

The protection is the caller's decision from the user's role (protection.py): protected (the
default) or exact. A protected query is bounded (protection.check_bounds).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from pipelines.access.model import Scope
from pipelines.contract import UNKNOWN
from pipelines.errors import UsageError
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS, METRICS_BY_NAME, Metric, applies
from pipelines.metrics.protection import Protection, check_bounds
from pipelines.reference.districts import districts
from pipelines.reference.regions import regions

# The cumulative month grouping (project to date): `by=(TO_MONTH,)` gives one group per month the period
# touches (YYYY-MM), holding the figures of date_from .. the end of that month (or date_to, if earlier),
# each group the same population, protection and flags as the one-period query of that span. Not a
# dimension of the catalogue (a person is in every group from their first one on): alone in `by`, and
# without `exclude` (a group's sparse rule reads its own people counts, docs/decisions.md).
TO_MONTH = "to_month"


@dataclass(frozen=True)
class MetricQuery:
    date_from: date
    date_to: date
    metrics: tuple[str, ...] = ()  # () = every metric that applies to `by` and `where`
    by: tuple[str, ...] = ()
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    protection: Protection = Protection.PROTECTED
    # Whose figures: the signed-in user's scope, or pipelines.access.EVERYTHING for the operator.
    # Keyword-only and required, so no caller gets every centre by leaving it out.
    scope: Scope = field(kw_only=True)
    # Rows whose value of a dimension is one of these are left out: the top-N rest (top_n.py), never a user's.
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict, kw_only=True)


@dataclass(frozen=True)
class ResolvedQuery:
    """A validated query: the metrics to compute (in output order) and normalised filters."""

    query: MetricQuery
    metrics: tuple[Metric, ...]
    by: tuple[str, ...]
    where: dict[str, tuple[str, ...]]
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def protected(self) -> bool:
        return self.query.protection is Protection.PROTECTED

    @property
    def cumulative(self) -> bool:
        """Grouped by the cumulative month (TO_MONTH): one group per month, from date_from to its end."""
        return self.by == (TO_MONTH,)


def resolve(query: MetricQuery) -> ResolvedQuery:
    if not isinstance(query.scope, Scope):  # e.g. None: never read as "no restriction"
        raise TypeError(f"A metric query needs a Scope, not {query.scope!r}.")
    if not isinstance(query.protection, Protection):  # e.g. a flag a browser sent: never read as "exact"
        raise TypeError(f"A metric query needs a Protection, not {query.protection!r}.")
    if query.date_from > query.date_to:
        raise UsageError(f"The period starts ({query.date_from}) after it ends ({query.date_to}).")
    by = tuple(query.by)
    if TO_MONTH in by and (by != (TO_MONTH,) or query.exclude):
        raise UsageError(f"The cumulative grouping {TO_MONTH} cannot be combined with another in --by "
                         "or with an exclusion.")
    for name in by:
        if name != TO_MONTH:
            _known_dimension(name, "--by")
    if len(set(by)) != len(by):
        raise UsageError(f"A dimension is named twice in --by: {', '.join(by)}.")
    where = {name: tuple(_normalise_value(name, v) for v in values) for name, values in query.where.items()}
    for name, values in where.items():
        if not values:
            raise UsageError(f"The filter on '{name}' names no value.")
    exclude = {name: tuple(_normalise_value(name, v) for v in values) for name, values in query.exclude.items()}
    used = tuple(d for d in dict.fromkeys([*by, *where, *exclude]) if d != TO_MONTH)  # TO_MONTH: every metric
    if query.protection is Protection.PROTECTED:
        check_bounds((*by, *exclude), where)
    if query.metrics:
        metrics = tuple(_known_metric(name) for name in dict.fromkeys(query.metrics))
        for metric in metrics:
            _check_explicit(metric, by, used)
    else:
        metrics = tuple(m for m in METRICS if _fits(m, by, used))
        if not metrics:
            raise UsageError(
                f"No metric can be split or filtered by {', '.join(used)} together; "
                "see docs/metrics.md for which dimensions apply to which metric."
            )
    return ResolvedQuery(query, metrics, by, where, exclude)


def _fits(metric: Metric, by: Sequence[str], used: Sequence[str]) -> bool:
    return all(applies(metric, d) for d in used) and metric.available_with(tuple(by))


def _check_explicit(metric: Metric, by: Sequence[str], used: Sequence[str]) -> None:
    for dimension in used:
        if not applies(metric, dimension):
            raise UsageError(
                f"The metric '{metric.name}' cannot be split or filtered by the dimension '{dimension}' "
                "(see docs/metrics.md for which dimensions apply to which metric)."
            )
    if not metric.available_with(tuple(by)):
        raise UsageError(f"The metric '{metric.name}' is only available with "
                         f"{' or '.join(f'--by {r}' for r in metric.requires)}.")


def _known_metric(name: str) -> Metric:
    metric = METRICS_BY_NAME.get(name)
    if metric is None:
        raise UsageError(f"Unknown metric '{name}'. Known metrics: {', '.join(METRICS_BY_NAME)}.")
    return metric


def _known_dimension(name: str, option: str) -> None:
    if name not in DIMENSIONS_BY_NAME:
        raise UsageError(
            f"Unknown dimension '{name}' in {option}. Known dimensions: {', '.join(DIMENSIONS_BY_NAME)}."
        )


_TRUE_WORDS = {"true", "ano", "yes", "1"}
_FALSE_WORDS = {"false", "ne", "no", "0"}


@cache
def _district_codes() -> frozenset[str]:
    """The country's district codes (pipelines/reference), so a filter names a real district of any region."""
    return frozenset(d.code for d in districts())


def _normalise_value(dimension: str, raw: str) -> str:
    """The canonical form of a filter value, or a UsageError saying what the dimension accepts."""
    _known_dimension(dimension, "--where")
    value = raw.strip()
    if dimension in ("interpreted", "verified"):
        if value.lower() in _TRUE_WORDS:
            return "true"
        if value.lower() in _FALSE_WORDS:
            return "false"
    if dimension == "nationality":
        if re.fullmatch(r"[A-Za-z]{2}", value):
            return value.upper()
        if value.lower() in ("stateless", "unknown"):
            return value.lower()
        raise UsageError(
            f"'{raw}' is not a value of nationality: use an ISO 3166-1 alpha-2 code (e.g. UA), "
            "'stateless' or 'unknown'."
        )
    if dimension == "district":
        if value.upper() in _district_codes():
            return value.upper()
        if value.lower() == UNKNOWN:
            return value.lower()
        raise UsageError(
            f"'{raw}' is not a value of district: use a district code of the reference data "
            f"(seeds/ref_districts.csv, e.g. {districts()[0].code}) or '{UNKNOWN}'."
        )
    if dimension == "region":
        if value.upper() in {r.code for r in regions()}:
            return value.upper()
        if value.lower() == UNKNOWN:
            return value.lower()
        raise UsageError(
            f"'{raw}' is not a value of region: use a NUTS 3 region code of the reference data "
            f"(seeds/ref_regions.csv, e.g. {regions()[0].code}) or '{UNKNOWN}'."
        )
    if dimension == "month":
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            return value
        raise UsageError(f"'{raw}' is not a value of month: use YYYY-MM, e.g. 2023-01.")
    if dimension in ("branch", "centre"):
        if value:
            return value.upper() if dimension == "centre" else value  # centre codes are stored upper-case
        raise UsageError(f"The filter on '{dimension}' has an empty value.")
    allowed = DIMENSIONS_BY_NAME[dimension].codes()
    if allowed:
        for candidate in allowed:
            if candidate.lower() == value.lower():
                return candidate
        raise UsageError(f"'{raw}' is not a value of {dimension}. Allowed: {', '.join(dict.fromkeys(allowed))}.")
    raise UsageError(f"The dimension '{dimension}' cannot be filtered.")


def parse_where(items: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """`DIM=V1,V2` items (repeatable) -> {dim: values}; values of a repeated dimension are ORed."""
    where: dict[str, tuple[str, ...]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--where '{item}' is not of the form DIM=VALUE[,VALUE...].")
        _known_dimension(name, "--where")
        parts = tuple(v.strip() for v in values.split(",") if v.strip())
        if not parts:
            raise UsageError(f"--where '{item}' names no value.")
        where[name] = (*where.get(name, ()), *parts)
    return where


def parse_by(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
