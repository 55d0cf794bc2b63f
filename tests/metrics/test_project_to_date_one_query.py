"""The project to date's one query per filter group (by the cumulative month, query.TO_MONTH) against its
oracle: one metric query per month, from the project's start to that month's end.

For every metric that can be a target, the figure and the flag of each month of the cumulative query equal
those of the one-period query of its span, exactly and protected, for a scope of both centres (both
deliver the linkage key: a person served by both counts once), of one centre and of some of its districts,
with filters (among them the age band, read at each period's end, and the month, which cuts ranged
facts at the period's end), with a month of no data, a project month after the data and an end date
inside a month.

The hand-made home: two linked centres, a seeded random population of clients registered before and
during the project (which spans a change of year), with contacts, courses, events and outcomes, small
in the first months (sparse and hidden figures) and larger later (shown ones); some courses began
before the project; no fact is dated in February 2023 and no course runs then.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta

import duckdb
import pytest

from pipelines.access import EVERYTHING, Scope
from pipelines.errors import UsageError
from pipelines.metrics import METRICS, MetricQuery, compute, open_warehouse
from pipelines.metrics.catalogue import METRICS_BY_NAME, applies
from pipelines.metrics.protection import HIDDEN, Protection
from pipelines.metrics.query import TO_MONTH
from pipelines.metrics.sql import PERIOD_END, Family, _cumulative_people_counts, family_sql
from pipelines.project_to_date import month_ends, project_to_date
from pipelines.targets import load_targets
from support.marts import MartBuilder, home_with_marts

START, END = date(2022, 11, 1), date(2023, 6, 30)
# Every metric a one-period query can compute without a breakdown: what a target may name (a rate needs
# a breakdown by area, so it is no target a project to date can show).
TARGETED = tuple(m.name for m in METRICS if m.available_with(()))
EMPTY_MONTH = 2  # February 2023: nothing dated in it
_DISTRICTS = {"ULK": ("CZ0427", "CZ0421", "CZ0425"), "LBK": ("CZ0513", "CZ0511")}


def _day(rng: random.Random, month_index: int) -> date:
    """A random day of the project's month `month_index` (0: November 2022)."""
    year, month = (2022, 11 + month_index) if month_index < 2 else (2023, month_index - 1)
    return date(year, month, rng.randint(1, 28))


def _marts() -> MartBuilder:
    rng = random.Random(14)
    marts = MartBuilder("ULK")
    shared = 0
    for centre in ("ULK", "LBK"):
        marts.centre = centre
        for n in range(90):
            # More clients each month: few at first (sparse, hidden), many later. Months 0..6; none in February.
            first = min(rng.choice((0, 1, 1, 3, 3, 4, 4, 5, 5, 6)), 6)
            first = 3 if first == EMPTY_MONTH else first
            registered = _day(rng, first) if rng.random() < 0.8 else date(2022, 6, rng.randint(1, 28))
            # A person served by both centres (same linkage key) for some of LBK's clients.
            if centre == "LBK" and n < 12:
                person, shared = n, shared + 1
            else:
                person = 1000 * (centre == "LBK") + n
            client = f"{centre}{n}"
            marts.client(
                client, registered_on=min(registered, _day(rng, first)),
                nationality=rng.choice(("UA", "UA", "VN", "MN")), district=rng.choice(_DISTRICTS[centre]),
                sex=rng.choice(("female", "male")),
                # Born in 1993 or 1994: 29 or 28 in 2022, 30 or 29 in 2023 (the age band moves at the new year).
                birth_year=rng.choice((1993, 1994, 1960, None)), linkage_key=f"{person:064x}",
            )
            months = sorted({first, *(rng.randint(first, 6) for _ in range(rng.randint(0, 3)))} - {EMPTY_MONTH})
            for index, month in enumerate(months):
                marts.contact(f"{client}-c{index}", client, _day(rng, month), rng.choice(("social_counselling",
                              "legal_counselling")), duration_min=rng.choice((30, 45, 60, 90, None)),
                              interpreted=rng.random() < 0.3)
            if rng.random() < 0.35 and first != 1:  # no course runs in February
                starts = _day(rng, first)
                ends = starts + timedelta(days=rng.randint(5, 20))
                level_in = rng.choice(("A1", "A2"))
                marts.enrolment(f"K{first}", client, "czech_a2", starts, ends, level_in=level_in,
                                level_out=rng.choice(("A1", "A2", "B1")), completed=rng.random() < 0.6)
            if rng.random() < 0.3:
                marts.outcome(f"{client}-o", client, _day(rng, rng.choice((3, 4, 5, 6))))
            if n % 9 == 0:  # a course that began before the project and runs into its first month
                marts.enrolment("K-before", client, "czech_a1", date(2022, 10, 20), date(2022, 11, 10),
                                level_in="A1", level_out="A2", completed=True)
        for month in (0, 1, 3, 4, 5, 6):
            event = f"{centre}-E{month}"
            marts.event(event, "lecture_public", _day(rng, month), district=_DISTRICTS[centre][0],
                        participants=rng.randint(5, 40), participants_foreign=rng.randint(0, 5),
                        client_ids=[f"{centre}{n}" for n in rng.sample(range(90), 3)])
    assert shared
    return marts


TARGETS = "centres:\n" + "".join(
    f"  {centre}:\n    - {{code: P/{centre}, name_cs: a, name_en: a, period_from: {START}, period_to: {END},\n"
    f"       targets: {{{', '.join(f'{m}: 100' for m in TARGETED)}}}}}\n"
    for centre in ("ULK", "LBK")
)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    connection = open_warehouse(home_with_marts(tmp_path_factory.mktemp("one-query") / "home", _marts()))
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("targets") / "targets.yaml"
    path.write_text(TARGETS, encoding="utf-8")
    return load_targets(path)


SCOPES = {
    "both centres (linked)": EVERYTHING,
    "two centres, listed": Scope(frozenset({"ULK", "LBK"})),
    "one centre": Scope(frozenset({"ULK"})),
    "some districts": Scope(frozenset({"ULK"}), frozenset({"CZ0427", "CZ0421"})),
}
FILTERS: dict[str, dict[str, tuple[str, ...]]] = {
    "none": {},
    "nationality": {"nationality": ("UA",)},
    "age band at the period's end": {"age_band": ("18-29",), "sex": ("female",)},
    "month": {"month": ("2022-12", "2023-03")},
    "service": {"service": ("social_counselling",)},
}


def _groups(where: Mapping[str, tuple[str, ...]]) -> dict[tuple[str, ...], list[str]]:
    """The targeted metrics by the filters that apply to them (as project_to_date groups them)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name in TARGETED:
        groups.setdefault(tuple(d for d in where if applies(METRICS_BY_NAME[name], d)), []).append(name)
    return groups


def _per_month(con, date_to: date, names, where, protection, scope) -> tuple[dict[str, list], dict[str, list], bool]:
    """The oracle: one query per month, from START to the month's end (or date_to)."""
    values: dict[str, list] = {n: [] for n in names}
    flags: dict[str, list] = {n: [] for n in names}
    sparse = False
    for _, month_end in month_ends(START, date_to):
        result = compute(con, MetricQuery(date_from=START, date_to=month_end, metrics=tuple(names), where=where,
                                          protection=protection, scope=scope))
        assert result.frame.height == 1
        sparse = sparse or result.sparse
        for name in names:
            values[name].append(result.frame[name][0])
            flags[name].append(result.flags[name][0])
    return values, flags, sparse


@pytest.mark.parametrize("protection", list(Protection))
@pytest.mark.parametrize("scope_name", list(SCOPES))
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_the_cumulative_query_is_the_per_month_queries(con, protection, scope_name, filter_name) -> None:
    scope, where = SCOPES[scope_name], FILTERS[filter_name]
    # An end inside a month; (without filters, to keep the test short) the project's end, after the data.
    for date_to in (date(2023, 5, 17), END) if not where else (date(2023, 5, 17),):
        for usable, names in _groups(where).items():
            chosen = {d: where[d] for d in usable}
            result = compute(con, MetricQuery(date_from=START, date_to=date_to, metrics=tuple(names), by=(TO_MONTH,),
                                              where=chosen, protection=protection, scope=scope))
            values, flags, sparse = _per_month(con, date_to, names, chosen, protection, scope)
            assert result.frame[TO_MONTH].to_list() == [month for month, _ in month_ends(START, date_to)]
            for name in names:
                assert result.frame[name].to_list() == values[name], (name, usable, date_to)
                assert result.flags[name].to_list() == flags[name], (name, usable, date_to)
            assert result.sparse == sparse


def test_the_oracle_sees_what_it_must(con) -> None:
    """The cases above are not vacuous: the home gives shown, hidden and sparse figures, a person counted
    once across the linked centres, the age band moving at the new year and an empty month."""
    names = ("clients_reached", "contacts", "service_hours", "new_clients")
    protected = compute(con, MetricQuery(date_from=START, date_to=END, metrics=names, by=(TO_MONTH,),
                                         scope=SCOPES["some districts"]))
    flags = {flag for name in names for flag in protected.flags[name].to_list()}
    assert flags == {"", HIDDEN} and protected.sparse
    assert protected.frame["clients_reached"].to_list()[-1] is not None
    exact = {name: compute(con, MetricQuery(date_from=START, date_to=END, metrics=("clients_reached",),
                                            by=(TO_MONTH,), protection=Protection.EXACT, scope=scope))
             for name, scope in SCOPES.items()}
    ulk = exact["one centre"].frame["clients_reached"].to_list()
    lbk = compute(con, MetricQuery(date_from=START, date_to=END, metrics=("clients_reached",), by=(TO_MONTH,),
                                   protection=Protection.EXACT, scope=Scope(frozenset({"LBK"})))).frame
    both = exact["both centres (linked)"].frame["clients_reached"].to_list()
    assert both[-1] < ulk[-1] + lbk["clients_reached"][-1]  # the shared persons once
    assert both[EMPTY_MONTH] == both[EMPTY_MONTH - 1]  # nothing new in February
    aged = compute(con, MetricQuery(date_from=START, date_to=END, metrics=("clients_reached",), by=(TO_MONTH,),
                                    where={"age_band": ("30-44",)}, protection=Protection.EXACT,
                                    scope=EVERYTHING)).frame["clients_reached"].to_list()
    assert aged[1] == 0 < aged[2]  # born in 1993: 29 in 2022, 30 in 2023


@pytest.mark.parametrize("protected", [False, True])
@pytest.mark.parametrize("national", [False, True])
def test_the_cumulative_people_are_counted_once_each(protected, national) -> None:
    """The people-only family's cumulative query, which the cases above check against their oracle, reads
    each person once, with their first end and the end their registration falls in (`starts`), not once
    per end reached (`people`); any other aggregate over the people keeps the row per end."""
    ends = [end for _, end in month_ends(START, END)]
    counted = family_sql(Family.ACTIVITIES, START, END, (PERIOD_END,), {}, ["clients_reached", "new_clients"],
                         scope=EVERYTHING, protected=protected, national=national, ends=ends)
    assert "starts AS" in counted.text and "people AS" not in counted.text, counted.text
    assert _cumulative_people_counts("person_code", ["count(DISTINCT person_code) AS n"], None, "") is None
    # A protected record family's people (clients contacted, the largest contribution to service hours):
    # aggregated once per span of a person's first ends, each end combining the spans that hold it.
    if protected:
        contacts = family_sql(Family.CONTACTS, START, END, (PERIOD_END,), {},
                              ["contacts", "service_hours", "clients_contacted"], scope=EVERYTHING, protected=True,
                              national=national, ends=ends)
        assert "people_spans AS" in contacts.text and "people AS" not in contacts.text, contacts.text


@pytest.mark.parametrize("protection", list(Protection))
@pytest.mark.parametrize("scope_name", ["both centres (linked)", "some districts"])
def test_project_to_date_is_the_per_month_figures(con, targets, protection, scope_name) -> None:
    """project_to_date's cumulative figures and flags are the per-month queries' (its old path)."""
    scope = SCOPES[scope_name]
    where = FILTERS["service"]
    through = date(2023, 5, 31)
    result = project_to_date(lambda q: compute(con, q), targets, scope=scope, protection=protection, through=through,
                             where=where)
    assert {item.metric for item in result.metrics} == set(TARGETED)
    assert result.ignored_filters == ("service",)
    expected_sparse = False
    for usable, names in _groups(where).items():
        values, flags, sparse = _per_month(con, through, names, {d: where[d] for d in usable}, protection, scope)
        expected_sparse = expected_sparse or sparse
        for item in (i for i in result.metrics if i.metric in names):
            assert list(item.cumulative) == values[item.metric]
            assert list(item.flags) == flags[item.metric]
    assert result.sparse == expected_sparse
    assert result.data_months == 7  # November to May; June has no data yet


def test_the_cumulative_month_stands_alone(con) -> None:
    """No breakdown beside it and no exclusion: each group is a one-period view of its own."""
    for extra in ({"by": (TO_MONTH, "sex")}, {"by": (TO_MONTH,), "exclude": {"sex": ("male",)}}):
        with pytest.raises(UsageError, match=TO_MONTH):
            compute(con, MetricQuery(date_from=START, date_to=END, metrics=("contacts",), scope=EVERYTHING,
                                     **extra))
