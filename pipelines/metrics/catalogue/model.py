"""The shapes of the catalogue: metric families, kinds, bands, metrics and dimensions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

UNKNOWN = "unknown"


class Family(StrEnum):
    """Metrics computed by one SQL over one fact table (the tables are in pipelines/metrics/sql.py)."""

    ACTIVITIES = "activities"  # fct_activities (contacts, course enrolments, event participations)
    CONTACTS = "contacts"  # fct_contacts
    COURSES = "courses"  # fct_course_enrolments
    EVENTS = "events"  # fct_events
    OUTCOMES = "outcomes"  # fct_outcomes


class Kind(StrEnum):
    UNIQUE = "unique"  # distinct people: never summed, suppressed when 1-4
    COUNT = "count"  # number of records: additive
    SUM = "sum"  # additive sum (hours, head counts)
    MEDIAN = "median"  # median of a record value: hidden with the people count it rests on
    RATE = "rate"  # derived from a people count after grouping: hidden with it


@dataclass(frozen=True)
class Bands:
    """Numeric bands by their lower edges; the codes ("18-29", "65+") and the SQL follow from the edges."""

    edges: tuple[int, ...]  # the lowest value of each band
    top: int | None = None  # the highest value of the last band; None: open-ended ("65+")
    below_is_unknown: bool = False  # a value under the first edge is `unknown` (else the first band)

    @property
    def codes(self) -> tuple[str, ...]:
        closed = [f"{low}-{high - 1}" for low, high in zip(self.edges, self.edges[1:], strict=False)]
        last = f"{self.edges[-1]}-{self.top}" if self.top is not None else f"{self.edges[-1]}+"
        return (*closed, last)

    @property
    def listing(self) -> str:
        """The codes as a definition names them: `0-17, 18-29, …, unknown`."""
        return ", ".join((*self.codes, UNKNOWN))

    def sql(self, value: str) -> str:
        """A CASE giving the band code of the SQL expression `value` (NULL is unknown)."""
        value = f"({value})"
        unknown = f"{value} IS NULL" + (f" OR {value} < {self.edges[0]}" if self.below_is_unknown else "")
        whens = [f"WHEN {unknown} THEN '{UNKNOWN}'"]
        whens += [f"WHEN {value} < {upper} THEN '{code}'"
                  for code, upper in zip(self.codes, self.edges[1:], strict=False)]
        return f"CASE {' '.join(whens)} ELSE '{self.codes[-1]}' END"


@dataclass(frozen=True)
class Metric:
    name: str
    family: Family
    kind: Kind
    label_cs: str  # short name for axes, cards, tables and legends
    label_en: str
    definition_cs: str
    definition_en: str
    # SQL: for RATE an expression over the grouped row `g` (and `d`, the row of its district or region:
    # code, foreign_residents; pipelines/metrics/sql.py); otherwise an
    # aggregate over the family's inputs (sql.py), one row per (group, client) for people-only families.
    measure: str
    monthly_measure: str | None = None  # the measure when grouped by month, where its meaning narrows
    rests_on: str | None = None  # MEDIAN/RATE: the people count it is published (or hidden) with
    extension: bool = False  # not in the metric contract; added for the dashboard (docs/metrics.md)
    requires: tuple[str, ...] = ()  # one of these dimensions must be in `by` (none: no requirement)

    def available_with(self, by: tuple[str, ...] | list[str]) -> bool:
        """Whether `by` has what the metric requires (one of `requires`, if any)."""
        return not self.requires or any(r in by for r in self.requires)

    @property
    def is_unique_people(self) -> bool:
        return self.kind is Kind.UNIQUE

    def label(self, lang: str) -> str:
        return self.label_cs if lang == "cs" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_cs if lang == "cs" else self.definition_en


@dataclass(frozen=True)
class Dimension:
    name: str
    label_cs: str
    label_en: str
    definition_cs: str
    definition_en: str
    # SQL of the dimension's value for each family it applies to (alias f: the fact, c: dim_client).
    source: Mapping[Family, str]
    values: Callable[[], tuple[str, ...]] | None = None  # the codes it takes; None: a pattern or free text
    bands: Bands | None = None  # banded: the codes and the SQL come from the bands
    partitions_clients: bool = False  # each client has exactly one value (complementary suppression)
    extension: bool = False
    # SQL writing a grouped value as its code, `{}` the value (a month grouped as a date, written YYYY-MM
    # once per group: cheaper than a text per row); None: the source's value is the code.
    written: str | None = None
    families: frozenset[Family] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "families", frozenset(self.source))

    def expression(self, family: Family) -> str:
        """The SQL of the value rows are grouped by (its code once `code` writes it)."""
        raw = self.source[family]
        return self.bands.sql(raw) if self.bands else raw

    def code(self, value: str) -> str:
        """The SQL of the code of `value`, an expression or column of this dimension's grouped value."""
        return self.written.format(value) if self.written else value

    def codes(self) -> tuple[str, ...]:
        """Every value in display order (bands in order, unknown last); () where values are open."""
        if self.bands is not None:
            return (*self.bands.codes, UNKNOWN)
        return self.values() if self.values is not None else ()

    def label(self, lang: str) -> str:
        return self.label_cs if lang == "cs" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_cs if lang == "cs" else self.definition_en
