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
- `--by to_month` (alone, not a dimension) gives each month's figure from `--from` to the end of
  that month (or `--to`): the project to date, each month the figure of that one-period query.
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
computed from the data: the same metric without the values shown, so a person in two of them
counts once, protected as a cell of its own (its own people's cell key). It is never the total
minus the shown rows nor a sum of the other rows. Rows whose value is not shown never lead;
they join the rest.
"""

PROTECTION = """## Publishing small numbers: the cell key method (`reach metrics` without `--exact`)

Every figure a user can vary (dashboard pages, chart exports, `reach metrics`, the board pack)
is **protected** by the cell key method (`../shared/spec/disclosure.md`, rule 1;
`pipelines/metrics/protection.py`, `cell_key.py`); exact figures need `--exact` (audited) or
the admin/analyst switch on their own screen, and the ministry workbook publishes exact
figures with its own audited hiding (docs/reports.md).

- **Record keys.** At every build each person (client) and each record (contact, enrolment,
  event participation, outcome, event) gets a record key, a number in `[0, 4096)` made with a
  keyed hash (HMAC-SHA256) from its key and the home's perturbation secret
  (`<home>/secrets/perturbation.key`, created on the first build, never shown or exported;
  the build file holds only its fingerprint). The same person has the same key in every build.
- **Cell keys.** A count of people carries the sum of its distinct people's record keys modulo
  4096, computed in the same SQL query as the count (the modulo taken at the lookup); a count
  of records the sum of its records' keys. The perturbation table (`config/ptable.yaml`, stored in each build file as
  `disclosure_ptable`) maps (true count, cell key) to the published count: 0 stays 0, no
  published count is 1 or 2, the change is at most ±2 (±3 for a true 3), unbiased with
  variance 1 from 5 on. So **the same group of people always gets the same figure**, whatever
  query, page, breakdown or order produced it; asking again averages nothing away, and
  different groups get independent noise.
- **Totals are cells of their own**, so parts need not add up to totals. Every surface says so
  once: *Údaje jsou chráněny drobnou náhodnou odchylkou; součty se nemusí shodovat.* (Figures
  carry a small random deviation to protect people; parts need not add up to totals.)
- **Records, sums, medians.** A count of records (contacts, enrolments, completions, outcomes …)
  is shown only where the perturbed count of the distinct people behind those records is at
  least 5; sums (service hours) and medians only where it is at least 10, rounded (hours and
  days to whole numbers). Event head counts name no person: they are shown where they are at
  least 10. Sums of people's contributions (service hours) are perturbed too, before rounding: by at
  most `sum_deviation` (config/ptable.yaml, 1.0) times the cell's largest contribution of one
  person, a share in (-1, 1) chosen by the cell key of those people through a fixed permutation
  of the keys, evenly spread and with mean 0. So the same people get the same sum, and two sums a
  person apart differ by that person's share plus two independent deviations each as large as
  the largest share, as the ABS TableBuilder perturbs continuous values. Rates (per 1,000),
  shares and target fulfilment are computed from perturbed counts.
  A value not shown is `x` (`result.flags`), null in `result.frame`.
- **No rows of zeros.** A true 0 has no row; a group whose every figure is published as 0 or
  not shown is left out too, so a row's presence never tells a 1 or 2 from nothing.
- **Sparse views.** A result whose filtered population (the perturbed count of the people its
  filters select, without the breakdown) is below 20 carries no figures: `result.sparse` is
  true, a breakdown has no rows, a total is empty, and surfaces show a notice instead
  (`reach metrics` on stderr).
- **Bounds.** A filter selects at most 5 values of a dimension; at most 3 of the attributes
  nationality, district, region, in_centre_region, target_group, sex, age_band,
  residence_status, service and outcome are combined in one view, filters and breakdown
  together (period, month and centre do not count); a query beyond them is refused with a
  message (exit 2). Every period ends no later than the data's last activity (a contact, a
  course start, an event, an outcome): a later end is clamped, and ages are computed at the
  clamped end, so asking about 2030 makes nobody older.
- **Exact figures** (`Protection.EXACT`): only for admin and analyst on their own screen,
  `reach metrics --exact` (one audit entry naming the query, never a figure) and the ministry
  workbook. Downloads and reports always take the protected path.
- A new secret: if the home's secret is lost, `reach build` refuses (the published figures were
  made with another one); `reach build --new-perturbation-secret` starts again, and every
  published figure changes once.
"""


ACROSS_CENTRES = """## People across centres (the linkage key)

Client IDs are unique only within a centre (`client_key` is `centre:client_id`). Across centres a
client is the same person only through the optional national linkage key (`Národní klíč`,
export-format.md; made by `reach pseudonymise --linkage-key-file`, docs/raw-export.md). The build
gives every client a `national_code`: one number per person, the same in every centre that
delivered the same linkage key (a client without one is a person of their own), its record key
the keyed hash of the linkage key (`pipelines/disclosure/record_keys.py`).

- A count of people over **one centre** (a one-centre scope, a centre filter, or a breakdown by
  `centre`) counts that centre's clients, as always.
- Over **several centres** where **every client of every one of them has a linkage key**, it
  counts each person once (`count(DISTINCT national_code)`): a person served by two centres is one
  person reached; a new client is a person whose first registration in any centre lies in the
  period (`dim_person`).
- Otherwise it is **the sum of the centres' unique clients** (a person served by two centres
  counts twice), and the result says so (`result.people_summed_over_centres`): the dashboard on
  every figures page and in chart exports, `reach metrics` on stderr, the ministry workbook and
  the board pack in their text. Whether a centre is linked is decided over all its clients in the
  warehouse (`people_linkage`), not month by month.
"""


API = """## From code

```python
from pipelines.access import EVERYTHING, Scope
from pipelines.metrics import MetricQuery, Protection, compute, open_warehouse

con = open_warehouse(home)          # read-only; ReachError "run reach load and then reach build first"
result = compute(con, MetricQuery(date_from, date_to, metrics=("clients_reached",), by=("district",),
                                  where={"nationality": ("UA", "VN")},
                                  protection=Protection.PROTECTED,   # the default; EXACT by role only
                                  scope=Scope(frozenset({"ULK"}))))   # required: whose figures
result.frame        # polars: dimensions (strings), then metrics; values not shown null
result.flags        # polars: per metric "" (shown) / "x" (not shown)
result.sparse       # True: too few people in the filtered view, no figures (protected only)
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
        lines.append(f"- only with `--by` {' or '.join(metric.requires)}")
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
        f"- partitions clients (each has one value): {partition}",
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
             *(_dimension_section(d) for d in DIMENSIONS), _matrix(), RULES, PROTECTION, ACROSS_CENTRES, API]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
