"""Oracle: a person served by two centres, with and without the linkage key, worked out by hand.

Centres ULK (Ústí) and LBK (Liberec); period 1 Aug - 31 Oct 2022; exact figures unless said.

- Olena is served by both: ULK's client U1 (registered 10 Jan 2022, contact 5 Aug) and LBK's client
  L1 (registered 2 Sep 2022, contact 10 Sep); she lives in Liberec (CZ0513) in both records.
- U2: ULK, lives in Ústí nad Labem (CZ0427), registered 15 Aug 2022, contact 20 Aug.
- L2: LBK, lives in Semily (CZ0514), registered 1 May 2021, contact 1 Oct.
- L3: LBK, lives in Liberec (CZ0513), registered 5 Oct 2022, contact 6 Oct.

By hand, per centre (the same with or without linkage keys: a centre's own clients):
- clients reached: ULK 2 (U1, U2), LBK 3 (L1, L2, L3); new clients: ULK 1 (U2), LBK 2 (L1, L3);
- contacts: ULK 2, LBK 3.

Both centres together, every client with a linkage key (home `linked`):
- clients reached 4 (Olena once, U2, L2, L3), not 2 + 3;
- new clients 2 (U2, L3): Olena's first registration (10 Jan at ULK) lies before the period, so she
  is not new nationally although LBK registered her in September;
- by district: CZ0513 2 (Olena once, L3), CZ0427 1, CZ0514 1;
- contacts 5: records are records, linked or not.

Both centres, L2 without a linkage key (home `unlinked`, LBK not linked):
- clients reached 5 = 2 + 3 and new clients 3 = 1 + 2, "the sum of the centres' unique clients";
- by district CZ0513 3 (U1 and L1 are two clients).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.access import EVERYTHING, Scope
from pipelines.disclosure.ptable import ptable
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse, people_summed_over_centres
from pipelines.metrics.linkage import SUMMED_NOTICE
from pipelines.metrics.protection import Protection
from reach.cli import main
from support.marts import MartBuilder, home_with_marts

FROM, TO = date(2022, 8, 1), date(2022, 10, 31)
OLENA = "a" * 64
MAX_DEVIATION = ptable().parameters.max_deviation


def _key(n: int) -> str:
    return f"{n:064x}"


def _marts(*, l2_linked: bool) -> MartBuilder:
    marts = MartBuilder("ULK")
    marts.client("U1", registered_on=date(2022, 1, 10), district="CZ0513", linkage_key=OLENA)
    marts.contact("U1-c", "U1", date(2022, 8, 5))
    marts.client("U2", registered_on=date(2022, 8, 15), district="CZ0427", linkage_key=_key(2))
    marts.contact("U2-c", "U2", date(2022, 8, 20))
    marts.centre = "LBK"
    marts.client("L1", registered_on=date(2022, 9, 2), district="CZ0513", linkage_key=OLENA)
    marts.contact("L1-c", "L1", date(2022, 9, 10))
    marts.client("L2", registered_on=date(2021, 5, 1), district="CZ0514", linkage_key=_key(3) if l2_linked else None)
    marts.contact("L2-c", "L2", date(2022, 10, 1))
    marts.client("L3", registered_on=date(2022, 10, 5), district="CZ0513", linkage_key=_key(4))
    marts.contact("L3-c", "L3", date(2022, 10, 6))
    return marts


def _open(root: Path, marts: MartBuilder) -> duckdb.DuckDBPyConnection:
    return open_warehouse(home_with_marts(root, marts))


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = _open(tmp_path_factory.mktemp("linked"), _marts(l2_linked=True))
    yield con
    con.close()


@pytest.fixture(scope="module")
def unlinked_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return home_with_marts(tmp_path_factory.mktemp("unlinked"), _marts(l2_linked=False))


@pytest.fixture(scope="module")
def unlinked(unlinked_home: Home) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(unlinked_home)
    yield con
    con.close()


def _query(metrics: tuple[str, ...], by: tuple[str, ...] = (), where: dict[str, tuple[str, ...]] | None = None,
           scope: Scope = EVERYTHING, protection: Protection = Protection.EXACT) -> MetricQuery:
    return MetricQuery(FROM, TO, metrics, by=by, where=where or {}, protection=protection, scope=scope)


def _rows(con: duckdb.DuckDBPyConnection, *args: object, **kwargs: object) -> list[dict[str, object]]:
    return compute(con, _query(*args, **kwargs)).frame.to_dicts()  # type: ignore[arg-type]


PER_CENTRE = [
    {"centre": "LBK", "clients_reached": 3, "new_clients": 2, "contacts": 3},
    {"centre": "ULK", "clients_reached": 2, "new_clients": 1, "contacts": 2},
]


@pytest.mark.parametrize("home", ["linked", "unlinked"])
def test_per_centre_figures_count_the_centres_own_clients(home: str, request: pytest.FixtureRequest) -> None:
    con = request.getfixturevalue(home)
    result = compute(con, _query(("clients_reached", "new_clients", "contacts"), ("centre",)))
    assert result.frame.to_dicts() == PER_CENTRE
    assert not result.people_summed_over_centres  # each row is one centre
    for centre, expected in (("ULK", PER_CENTRE[1]), ("LBK", PER_CENTRE[0])):
        one = compute(con, _query(("clients_reached", "new_clients"), scope=Scope(frozenset({centre}))))
        assert one.frame.to_dicts() == [{k: expected[k] for k in ("clients_reached", "new_clients")}]
        assert not one.people_summed_over_centres


def test_with_linkage_keys_a_person_served_by_both_centres_counts_once(linked: duckdb.DuckDBPyConnection) -> None:
    result = compute(linked, _query(("clients_reached", "new_clients", "contacts")))
    assert result.frame.to_dicts() == [{"clients_reached": 4, "new_clients": 2, "contacts": 5}]
    assert not result.people_summed_over_centres
    assert _rows(linked, ("clients_reached",), ("district",)) == [
        {"district": "CZ0427", "clients_reached": 1},
        {"district": "CZ0513", "clients_reached": 2},  # Olena once, L3
        {"district": "CZ0514", "clients_reached": 1},
    ]
    # A user scoped to both centres sees the same; the centre filter narrowing to one centre gives its own.
    both = Scope(frozenset({"ULK", "LBK"}))
    assert _rows(linked, ("clients_reached",), scope=both) == [{"clients_reached": 4}]
    assert _rows(linked, ("clients_reached",), where={"centre": ("LBK",)}) == [{"clients_reached": 3}]


def test_without_every_linkage_key_national_counts_are_the_sum_and_say_so(
        unlinked: duckdb.DuckDBPyConnection) -> None:
    result = compute(unlinked, _query(("clients_reached", "new_clients", "contacts")))
    assert result.frame.to_dicts() == [{"clients_reached": 5, "new_clients": 3, "contacts": 5}]
    assert result.people_summed_over_centres
    assert _rows(unlinked, ("clients_reached",), ("district",)) == [
        {"district": "CZ0427", "clients_reached": 1},
        {"district": "CZ0513", "clients_reached": 3},  # U1 and L1 are two clients
        {"district": "CZ0514", "clients_reached": 1},
    ]
    # Records name no person: a count of contacts says nothing of the sum.
    assert not compute(unlinked, _query(("contacts",))).people_summed_over_centres


def test_reach_metrics_says_the_national_count_is_a_sum(unlinked_home: Home,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    period = ["--from", "2022-08-01", "--to", "2022-10-31", "--metric", "clients_reached", "--exact"]
    assert main(["--home", str(unlinked_home.root), "metrics", *period]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == "5" and SUMMED_NOTICE["en"] in err and SUMMED_NOTICE["cs"] in err
    assert main(["--home", str(unlinked_home.root), "metrics", *period, "--by", "centre"]) == 0
    assert SUMMED_NOTICE["en"] not in capsys.readouterr().err


def _people(size: int, centre: str, marts: MartBuilder, shared: range, *, linked: bool = True) -> None:
    marts.centre = centre
    for n in range(size):
        person = n if n in shared else (1000 if centre == "LBK" else 0) + n + 100
        client = f"{centre}{n}"
        marts.client(client, registered_on=date(2022, 1, 1), linkage_key=_key(person) if linked else None)
        marts.contact(f"{client}-c", client, date(2022, 9, 1))


def test_protected_national_counts_are_perturbed_counts_of_the_persons(tmp_path: Path) -> None:
    """25 clients in each centre, 10 of them the same people: 40 persons, counted once protected too (the
    perturbation of 40 moves it by at most the ptable's deviation), each shared person one national code."""
    marts = MartBuilder("ULK")
    _people(25, "ULK", marts, range(10))
    _people(25, "LBK", marts, range(10))
    con = _open(tmp_path / "h", marts)
    try:
        assert _rows(con, ("clients_reached",)) == [{"clients_reached": 40}]
        protected = compute(con, _query(("clients_reached",), protection=Protection.PROTECTED))
        assert abs(protected.frame.item(0, "clients_reached") - 40) <= MAX_DEVIATION
        assert not protected.people_summed_over_centres
        codes = con.execute("SELECT count(DISTINCT national_code), count(DISTINCT person_code) "
                            "FROM dim_client").fetchall()
        assert codes == [(40, 50)]
        shared = con.execute("SELECT count(*), count(DISTINCT national_code), count(DISTINCT centre) "
                             "FROM dim_client WHERE linkage_key = ?", [_key(3)]).fetchall()
        assert shared == [(2, 1, 2)]
    finally:
        con.close()


@pytest.mark.parametrize("home", ["linked", "unlinked"])
def test_whether_people_are_summed_is_known_without_computing(home: str, request: pytest.FixtureRequest) -> None:
    """The page notice asks the metric layer before any figure is computed: the same answer as the result's."""
    con = request.getfixturevalue(home)
    queries = [
        _query(("clients_reached",)), _query(("clients_reached", "contacts")), _query(("contacts",)),
        _query(("clients_reached",), ("centre",)), _query(("clients_reached",), ("district",)),
        _query(("new_clients",), scope=Scope(frozenset({"ULK"}))),
        _query(("clients_reached",), where={"centre": ("LBK",)}),
        _query(("clients_reached",), where={"centre": ("LBK", "ULK")}),
    ]
    answers = [people_summed_over_centres(con, q) for q in queries]
    assert answers == [compute(con, q).people_summed_over_centres for q in queries]
    assert any(answers) is (home == "unlinked")
