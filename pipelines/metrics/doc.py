"""docs/metrics.md rendered from the catalogue, so the doc, the CLI, the dashboard and the reports agree.

Regenerate with `python -m pipelines.metrics.doc > docs/metrics.md` (a test checks it is current).
"""

from __future__ import annotations

import sys

from pipelines.metrics.catalogue import DIMENSIONS, METRICS, Dimension, Metric, applies

INTRO = """# Metrics and dimensions (product definitions)

Every figure of the dashboard, `reach metrics` and the reports comes from `pipelines.metrics`
(the only place metric SQL lives) and means what this page says. The contract is
`../shared/spec/metrics.md`; entries marked *extension* were added for the dashboard.
This page is generated from the catalogue `pipelines/metrics/catalogue/` (metrics in
`metrics.py`, dimensions in `dimensions.py`; `python -m pipelines.metrics.doc > docs/metrics.md`).
The names below are the ones every surface uses (dashboard, `reach metrics --list`, board pack,
ministry workbook); the dashboard's Definitions page renders the same data.

Periods are inclusive date ranges `[from, to]`. Only current records count (the latest
delivery wins; retracted records and everything of a retracted client never count), and a
row naming a client who has not been delivered (an orphan) counts only once the client
arrives.

An **activity** is a service contact dated in the period, an enrolment in a course that runs
during the period (`starts_on <= to` and `coalesce(ends_on, starts_on) >= from`), or a
registered participation in an event dated in the period.
"""

RULES = """## Using dimensions

- `--by DIM[,DIM]` groups by one or more dimensions; `--where DIM=VALUE[,VALUE]` (repeatable)
  filters: values of one dimension are ORed, different dimensions are ANDed. Rows are ordered
  by the dimensions. Dimension values are codes (labels: `pipelines.metrics.catalogue.code_label`,
  from `pipelines.reference.labels`). `reach metrics --list` prints every metric and dimension
  with its Czech and English name.
- A dimension applies to a metric when the metric's records carry it (table below). If a
  metric is named with `--metric` and a `--by` or `--where` dimension does not apply to it,
  the command fails naming the metric and the dimension. Without `--metric`, metrics a
  dimension does not apply to are left out of the output.
- Unique-people metrics (clients_reached, new_clients, course_participants,
  clients_with_outcome) are never summed: a client reached through two services counts once
  in the total and once in each service, so the parts can exceed the total.
- `month`: contacts, events and outcomes fall in the month of their date; a course enrolment
  falls in every month the course runs within the period, so clients_reached per month is
  distinct within each month. Per month, `new_clients` counts the clients reached in the month
  they registered.
- `district` is the client's district for client metrics and the event's own district for
  event metrics. `age_band` is the year of the period's end minus the birth year.
- Where a group has no records, counts and sums are 0 and the median is empty.

## Top N and the rest

Ranked charts (and their exports, and the board pack) show the largest values of one dimension
and one row **Ostatní / Other** (`pipelines/metrics/top_n.py`). The rest is a figure of its own,
computed from the data: the same metric filtered to the values not shown, so a person in two of
them counts once, published (or suppressed) as its own cell. It is never the total minus the
shown rows nor a sum of the other rows. Rows whose value is suppressed never lead; they join
the rest, so the shown rows, the rest and the total cannot be subtracted to reveal one.
"""

SUPPRESSION = """## Publishing small numbers (`--suppress`)

- **Primary.** A unique-people count from 1 to 4 is published as `<5`. 0 is published as 0.
  Counts of records (contacts, enrolments, outcomes …) and sums (hours, head counts) are not
  counts of people and are published as they are.
- **Complementary (`x`).** The grand total and, for groupings by several dimensions, the
  margins (the same figures grouped by one dimension fewer) are treated as published. For each
  dimension of the grouping that partitions clients — nationality, district, target_group,
  sex, age_band, residence_status, centre: each client has exactly one value — the cells that
  differ only in that dimension add up to such a margin. A reader knows that `<5` means 1–4,
  that `x` means 5 or more (smaller values would show `<5`), and the margin (exactly, unless it
  is itself 1–4). While any hidden cell of such a group could be worked out exactly from those
  facts — by subtraction when it is the only hidden cell, or because the hidden cells are
  forced (five `<5` cells that add up to 5 must each be 1) — the smallest still visible
  nonzero cell of the group is hidden as `x`, preferring one whose own other groups stay
  protectable; repeated until nothing changes.
- **Non-partitioning dimensions** (service, month, outcome and the contact, course, event and
  outcome attributes) need no complementary cells: one client can appear under several of
  their values, so the cells do not add up to the total or to any published figure and
  subtracting them from it reveals nothing. Sums need none either: they are not suppressed.
- **Derived figures** are hidden (`x`) with the count they rest on: reach_per_1000_foreign with
  clients_reached of the same row, median_days_to_outcome with clients_with_outcome (a median
  of a handful of people is nearly one person's value).
- **Limit.** A cell that equals its own margin (for example the only nonzero cell of a row)
  cannot be protected inside one table once the margin is published; protecting it would need
  the margin hidden in the coarser table. The checks cover one group at a time, not
  combinations of rows and columns solved together.
- In the API, `result.frame` holds null for every suppressed value, `result.flags` says `<5`
  or `x`, and `result.published()` gives the table as printed.
"""


API = """## From code

```python
from pipelines.access import EVERYTHING, Scope
from pipelines.metrics import MetricQuery, compute, open_warehouse

con = open_warehouse(home)          # read-only; ReachError "run reach load and then reach build first"
result = compute(con, MetricQuery(date_from, date_to, metrics=("clients_reached",), by=("district",),
                                  where={"nationality": ("UA", "VN")}, suppress=True,
                                  scope=Scope(frozenset({"ULK"}))))   # required: whose figures
result.frame        # polars: dimensions (strings), then metrics; suppressed values null
result.flags        # polars: per metric "" / "<5" / "x"
result.published()  # polars of strings as printed by reach metrics
result.records()    # list of dicts as printed by --format json
result.metrics, result.by   # the metric and dimension columns, in order
```

`scope` is required and has no default: the signed-in user's `Scope` (centres and, optionally,
the districts their clients live in; for events the event's district) or `EVERYTHING` where
the operator runs `reach` on the server. It is applied to the fact rows below every filter, so
`where` can only narrow it: a filter value outside the scope (say `where={"centre": ("LBK",)}`
for a scope of `ULK`) selects nothing, and the top-N rest and every derived figure use the same
scope. A query without a `Scope` raises `TypeError`.

`metrics=()` means every metric the dimensions apply to. A wrong metric, dimension, value or
combination raises `pipelines.errors.UsageError` (a `ReachError`) naming it; a warehouse that
lacks a mart raises `ReachError` naming the table. `pipelines.metrics.catalogue` holds the
metrics and dimensions as data (names, definitions, SQL, values and bands, `applies(metric, dimension)`,
`metric_name`, `dimension_name`, `code_label`).
"""


def _applies_to(dimension: Dimension) -> str:
    return ", ".join(f"`{m.name}`" for m in METRICS if applies(m, dimension.name))


def _dimensions_of(metric: Metric) -> str:
    return ", ".join(f"`{d.name}`" for d in DIMENSIONS if applies(metric, d.name))


def _metric_section(metric: Metric) -> str:
    tag = " (extension)" if metric.extension else ""
    lines = [
        f"### `{metric.name}`{tag}",
        "",
        f"- cs: **{metric.label_cs}** — {metric.definition_cs}",
        f"- en: **{metric.label_en}** — {metric.definition_en}",
        f"- kind: {metric.kind.value}; computed from: {metric.family.value}",
        f"- dimensions: {_dimensions_of(metric)}",
    ]
    if metric.requires:
        lines.append(f"- only with `--by` {', '.join(metric.requires)}")
    return "\n".join(lines) + "\n"


_LISTED_UP_TO = 30  # values listed in a dimension's section (nationality lists every country code)


def _values(dimension: Dimension) -> list[str]:
    if dimension.bands is not None:
        edges = ", ".join(str(edge) for edge in dimension.bands.edges)
        return [f"- bands: {dimension.bands.listing} (lower edges {edges}; each band ends below the next edge)"]
    codes = dimension.codes()
    if codes and len(codes) <= _LISTED_UP_TO:
        return [f"- values: {', '.join(f'`{code}`' for code in codes)}"]
    return []


def _dimension_section(dimension: Dimension) -> str:
    tag = " (extension)" if dimension.extension else ""
    partition = "yes" if dimension.partitions_clients else "no"
    return "\n".join([
        f"### `{dimension.name}`{tag}",
        "",
        f"- cs: **{dimension.label_cs}** — {dimension.definition_cs}",
        f"- en: **{dimension.label_en}** — {dimension.definition_en}",
        *_values(dimension),
        f"- partitions clients (complementary suppression): {partition}",
        f"- applies to: {_applies_to(dimension)}",
    ]) + "\n"


def _matrix() -> str:
    header = "| metric | " + " | ".join(d.name for d in DIMENSIONS) + " |"
    rule = "|---|" + "---|" * len(DIMENSIONS)
    rows = [
        f"| {m.name} | " + " | ".join("✓" if applies(m, d.name) else "" for d in DIMENSIONS) + " |"
        for m in METRICS
    ]
    return "\n".join(["## Which dimensions apply to which metric", "", header, rule, *rows]) + "\n"


def render() -> str:
    parts = [INTRO, "## Metrics\n", *(_metric_section(m) for m in METRICS), "## Dimensions\n",
             *(_dimension_section(d) for d in DIMENSIONS), _matrix(), RULES, SUPPRESSION, API]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
