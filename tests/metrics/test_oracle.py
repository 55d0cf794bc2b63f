"""Oracle: hand-written deliveries (tests/oracle/) through the real load + build, then `reach metrics`.

Every expected figure below was worked out by hand from the CSV files, with the reasoning in
the comments; none is computed by the metric SQL under test.

The story of the deliveries (centre ULK):
- d1 (Aug 2022): clients KL0001-KL0006 and KL0101-KL0108; contacts K001-K006 and K101-K108;
  courses C01 (Czech A1, 4 Jul - 30 Sep 2022, spans the start of an Aug-Oct period) and C02
  (socio-cultural orientation, 10 Oct 2022, no end date); enrolments of KL0003, KL0004, KL0005
  in C01; outcome V04 of KL0005. K006 names KL9999, a client never delivered (orphan for good).
- d2 (Sep 2022): KL0002 corrected (district Teplice -> Litoměřice); KL0005 retracted (so K004,
  KL0005's C01 enrolment and V04 never count); KL0007 new; K002 corrected (30 -> 90 min); K005
  retracted; K007 names KL0008 who is not delivered yet (orphan until d3); K008, K009; events A01
  (8 Sep, lecture for foreigners, Ústí, 25 people, 20 foreign) with KL0001 (who also had contacts)
  and KL0007, A02 (15 Jul, multicultural, Teplice, 100/30) with KL0006, A03 (30 Sep) with KL0003;
  outcomes V01 (KL0002, 20 Sep 2022), V02 (KL0001, 25 Sep 2022).
- d3 (Oct 2022): KL0008 arrives (Syria, asylum, Chomutov, registered 20 Sep 2022); K010, K011;
  KL0002 and KL0008 enrolled in C02; A03 retracted; outcome V03 (KL0008, 15 Oct 2022).

Current clients after d3 (15): KL0001 (M, UA, CZ0427, reg 2 Aug 2022), KL0002 (F, VN, CZ0423,
reg 2021), KL0003 (F, UA, CZ0421, born 2010, reg 15 Aug 2022), KL0004 (M, MN, CZ0425, reg Mar
2022), KL0006 (M, SK, lives in Prague CZ0100, reg Jan 2022), KL0007 (F, UA, CZ0427, reg 5 Sep
2022), KL0008 (M, SY, CZ0422, reg 20 Sep 2022) and KL0101-KL0108 (UA, CZ0427, reg Jun 2022;
KL0101-0105 female, KL0106-0107 male, KL0108 other), each with one 15-minute
information-centre contact in Aug 2022.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.home import Home
from pipelines.ingest import load_paths
from reach.build import build_warehouse
from reach.cli import main

ORACLE = Path(__file__).parents[1] / "oracle"
DELIVERIES = ("d1_2022-08", "d2_2022-09", "d3_2022-10")
SEEDS = Path(__file__).parents[2] / "seeds"

pytestmark = pytest.mark.slow


def _published(root: Path, deliveries: tuple[str, ...]) -> Home:
    home = Home(root).ensure()
    load_paths(home, [ORACLE / name for name in deliveries], "ULK")
    build_warehouse(home)
    return home


@pytest.fixture(scope="module")
def oracle_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return _published(tmp_path_factory.mktemp("oracle_all"), DELIVERIES)


@pytest.fixture(scope="module")
def before_d3_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return _published(tmp_path_factory.mktemp("oracle_d1_d2"), DELIVERIES[:2])


def reach_metrics(home: Home, *args: str, exact: bool = True) -> str:
    """`reach metrics` output; exact by default: the oracle checks the figures themselves."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--home", str(home.root), "metrics", *args, *(["--exact"] if exact else [])])
    assert status == 0, err.getvalue()
    return out.getvalue()


def csv_rows(home: Home, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(reach_metrics(home, *args, "--format", "csv"))))


def json_rows(home: Home, *args: str) -> list[dict[str, object]]:
    return json.loads(reach_metrics(home, *args, "--format", "json"))


AUG_OCT = ("--from", "2022-08-01", "--to", "2022-10-31")

# Aug-Oct 2022, no grouping.
AUG_OCT_TOTAL = {
    # 7 story clients with an activity (KL0005 retracted) + KL0101-KL0108 (Aug contacts).
    "clients_reached": 15,
    # Registered 1 Aug - 31 Oct: KL0001, KL0003, KL0007, KL0008 (KL0101-0108 registered in June).
    "new_clients": 4,
    # K001 K002 K003 K007 K008 K009 K010 K011 + K101-K108; not K004 (retracted client),
    # K005 (retracted), K006 (orphan for good).
    "contacts": 16,
    # 60 + 90 (corrected) + 45 + 60 + 60 + 120 + 60 + 20 + 8 x 15 = 635 min = 10.58 h.
    "service_hours": 10.6,
    # C01 (runs into the period): KL0003, KL0004; C02: KL0002, KL0008.
    "course_participants": 4,
    "enrolments": 4,
    # KL0003 in C01 and both C02 enrolments.
    "course_completions": 3,
    # Only KL0003: pre-A1 -> A1 (KL0004 stayed A1; C02 has no levels).
    "level_gains": 1,
    # A01 only (A02 is in July, A03 retracted).
    "event_attendance": 25,
    "events": 1,
    "event_participants_foreign": 20,
    # V01, V02, V03 (V04 belongs to the retracted KL0005).
    "outcomes": 3,
    "clients_with_outcome": 3,
    "interpreted_contacts": 2,  # K003, K008
    # Contacts of KL0001 (K001, K002, K010), KL0002 (K003, K009), KL0006 (K011), KL0007 (K008),
    # KL0008 (K007, counts since d3) and KL0101-KL0108: 5 + 8 people. KL0004's only contact K005 is
    # retracted, KL0005 is retracted, KL9999 never arrives.
    "clients_contacted": 13,
    # KL0003 (pre-A1 -> A1) is the only person with a gain.
    "clients_with_level_gain": 1,
    # Days from registration: V01 498 (10 May 2021 -> 20 Sep 2022), V02 54, V03 25 -> median 54.
    "median_days_to_outcome": 54.0,
}


def test_total_for_aug_to_oct_matches_the_hand_count(oracle_home: Home) -> None:
    [row] = json_rows(oracle_home, *AUG_OCT)
    assert row == AUG_OCT_TOTAL


def test_csv_prints_the_same_figures_as_text(oracle_home: Home) -> None:
    [row] = csv_rows(oracle_home, *AUG_OCT)
    # metrics.md's metrics in its order, then the extensions.
    assert list(row) == [
        "clients_reached", "new_clients", "contacts", "service_hours", "course_participants",
        "course_completions", "level_gains", "event_attendance", "outcomes", "clients_with_outcome",
        "enrolments", "interpreted_contacts", "events", "event_participants_foreign", "clients_contacted",
        "clients_with_level_gain", "median_days_to_outcome",
    ]
    assert row == {name: str(value) for name, value in AUG_OCT_TOTAL.items()}


def test_people_contacted_on_a_topic_are_fewer_than_the_contacts(oracle_home: Home) -> None:
    [row] = json_rows(oracle_home, *AUG_OCT, "--metric", "clients_contacted", "--metric", "contacts",
                      "--where", "topic=residence")
    # Topic "pobyt": K001, K002, K010 (all KL0001), K007 (KL0008), K009 (KL0002), K101-K108.
    assert row == {"clients_contacted": 3 + 8, "contacts": 5 + 8}


def test_september_only(oracle_home: Home) -> None:
    [row] = json_rows(
        oracle_home, "--from", "2022-09-01", "--to", "2022-09-30",
        "--metric", "clients_reached", "--metric", "new_clients", "--metric", "contacts",
        "--metric", "service_hours", "--metric", "course_participants", "--metric", "event_attendance",
        "--metric", "outcomes", "--metric", "median_days_to_outcome",
    )
    assert row == {
        # K007 KL0008, K008 KL0007, K009 KL0002; C01 still runs (ends 30 Sep): KL0003, KL0004;
        # A01: KL0001, KL0007. A03 (30 Sep) is retracted, so KL0003 counts only through C01.
        "clients_reached": 6,
        "new_clients": 2,  # KL0007 (5 Sep), KL0008 (20 Sep)
        "contacts": 3,
        "service_hours": 4.0,  # 60 + 60 + 120 min
        "course_participants": 2,
        "event_attendance": 25,
        "outcomes": 2,  # V01, V02
        "median_days_to_outcome": 276.0,  # (498 + 54) / 2
    }


def test_july_counts_a_course_that_started_before_the_project(oracle_home: Home) -> None:
    [row] = json_rows(
        oracle_home, "--from", "2022-07-01", "--to", "2022-07-31",
        "--metric", "clients_reached", "--metric", "new_clients", "--metric", "course_participants",
        "--metric", "event_attendance", "--metric", "contacts", "--metric", "median_days_to_outcome",
    )
    # C01 from 4 Jul: KL0003, KL0004; A02 on 15 Jul: KL0006 registered. No contacts, no outcome.
    assert row == {
        "clients_reached": 3, "new_clients": 0, "course_participants": 2, "event_attendance": 100,
        "contacts": 0, "median_days_to_outcome": None,
    }


def test_by_month_counts_a_running_course_in_every_month(oracle_home: Home) -> None:
    rows = csv_rows(
        oracle_home, *AUG_OCT, "--by", "month", "--metric", "clients_reached", "--metric", "new_clients",
        "--metric", "contacts", "--metric", "enrolments",
    )
    assert rows == [
        # Aug: KL0001 (K001, K002), KL0002 (K003), C01: KL0003, KL0004, plus KL0101-0108 = 12.
        #      New in Aug and reached in Aug: KL0001, KL0003. Contacts 3 + 8. C01's two enrolments.
        {"month": "2022-08", "clients_reached": "12", "new_clients": "2", "contacts": "11", "enrolments": "2"},
        # Sep: KL0008, KL0007, KL0002 (contacts), KL0003, KL0004 (C01), KL0001 (A01) = 6.
        #      New in Sep: KL0007, KL0008.
        {"month": "2022-09", "clients_reached": "6", "new_clients": "2", "contacts": "3", "enrolments": "2"},
        # Oct: KL0001 (K010), KL0006 (K011), KL0002, KL0008 (C02) = 4; nobody registered in Oct.
        {"month": "2022-10", "clients_reached": "4", "new_clients": "0", "contacts": "2", "enrolments": "2"},
    ]


def test_unique_clients_by_service_exceed_the_total(oracle_home: Home) -> None:
    rows = json_rows(oracle_home, *AUG_OCT, "--by", "service", "--metric", "clients_reached")
    by_service = {row["service"]: row["clients_reached"] for row in rows}
    assert by_service == {
        "czech_a1": 2,  # KL0003, KL0004
        "event_lecture_foreigners": 2,  # KL0001, KL0007 at A01
        "information_centre": 9,  # KL0006 (K011) + KL0101-0108
        "legal_counselling": 3,  # KL0001 (K002), KL0008 (K007), KL0002 (K009)
        "social_counselling": 3,  # KL0001 (K001, K010), KL0002 (K003), KL0007 (K008)
        "sociocultural_orientation": 2,  # KL0002, KL0008
    }
    assert sum(by_service.values()) == 21 > AUG_OCT_TOTAL["clients_reached"] == 15


def test_target_group_is_derived_as_list_t_says(oracle_home: Home) -> None:
    rows = json_rows(oracle_home, *AUG_OCT, "--by", "target_group", "--metric", "clients_reached")
    # No delivered client states a target group, so each is derived (export-format.md, list T).
    assert {row["target_group"]: row["clients_reached"] for row in rows} == {
        "ukrainian": 11,  # KL0001, KL0003, KL0007, KL0101-0108 (UA)
        "third_country_national": 2,  # KL0002 (VN), KL0004 (MN)
        "international_protection": 1,  # KL0008 (SY, azyl)
        "eu_citizen": 1,  # KL0006 (SK): an EU citizen, no longer "unknown"
    }


def test_where_filters_or_within_and_across_dimensions(oracle_home: Home) -> None:
    [row] = json_rows(
        oracle_home, *AUG_OCT, "--where", "nationality=UA,VN", "--metric", "clients_reached",
        "--metric", "contacts",
    )
    # UA: KL0001, KL0003, KL0007, KL0101-0108 = 11; VN: KL0002. Contacts: KL0001 3, KL0007 1,
    # KL0101-0108 8, KL0002 2.
    assert row == {"clients_reached": 12, "contacts": 14}
    [row] = json_rows(
        oracle_home, *AUG_OCT, "--where", "nationality=UA", "--where", "sex=male",
        "--metric", "clients_reached",
    )
    assert row == {"clients_reached": 3}  # KL0001, KL0106, KL0107


def test_client_district_uses_the_corrected_record(oracle_home: Home) -> None:
    rows = json_rows(oracle_home, *AUG_OCT, "--by", "district", "--metric", "clients_reached",
                     "--metric", "reach_per_1000_foreign")
    residents = _foreign_residents("CZ0427")
    assert rows == [
        # KL0006 lives in Prague: in his own district, never dropped; no Prague denominator in the reference.
        {"district": "CZ0100", "clients_reached": 1, "reach_per_1000_foreign": None},
        {"district": "CZ0421", "clients_reached": 1, "reach_per_1000_foreign": _rate(1, "CZ0421")},
        {"district": "CZ0422", "clients_reached": 1, "reach_per_1000_foreign": _rate(1, "CZ0422")},
        # KL0002 moved from Teplice (CZ0426) to Litoměřice (CZ0423) in d2: no CZ0426 row.
        {"district": "CZ0423", "clients_reached": 1, "reach_per_1000_foreign": _rate(1, "CZ0423")},
        {"district": "CZ0425", "clients_reached": 1, "reach_per_1000_foreign": _rate(1, "CZ0425")},
        {"district": "CZ0427", "clients_reached": 10, "reach_per_1000_foreign": round(10 * 1000 / residents, 2)},
    ]


def _foreign_residents(code: str) -> int:
    """The latest denominator of the shipped reference seed (reference data, not the SQL under test)."""
    with (SEEDS / "ref_foreign_residents.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["district_code"] == code]
    return int(max(rows, key=lambda r: int(r["year"]))["foreign_residents"])


def _rate(clients: int, code: str) -> float:
    return round(clients * 1000 / _foreign_residents(code), 2)


def test_protected_the_oracle_period_is_too_sparse_to_show(oracle_home: Home) -> None:
    # Aug-Oct 2022 reaches 15 people: fewer than 20, so protected figures are a notice, not numbers
    # (the exact ones above: female 8, male 6, other 1; five districts of one client each).
    by_sex = reach_metrics(oracle_home, *AUG_OCT, "--by", "sex", "--metric", "clients_reached", "--format", "csv",
                           exact=False)
    assert by_sex == "sex,clients_reached\n"
    total = json.loads(reach_metrics(oracle_home, *AUG_OCT, "--metric", "clients_reached", "--metric", "contacts",
                                     "--format", "json", exact=False))
    assert total == [{"clients_reached": "x", "contacts": "x"}]


def test_outcomes_by_outcome_and_verification(oracle_home: Home) -> None:
    rows = csv_rows(oracle_home, *AUG_OCT, "--by", "outcome,verified", "--metric", "outcomes")
    assert rows == [
        {"outcome": "employment_found", "verified": "true", "outcomes": "1"},  # V01
        {"outcome": "housing_secured", "verified": "true", "outcomes": "1"},  # V03 (V04 retracted client)
        {"outcome": "residence_permit_extended", "verified": "false", "outcomes": "1"},  # V02
    ]


def test_course_dimensions(oracle_home: Home) -> None:
    rows = json_rows(oracle_home, *AUG_OCT, "--by", "course_type,attendance_band",
                     "--metric", "enrolments", "--metric", "level_gains")
    assert rows == [
        {"course_type": "czech_a1", "attendance_band": "25-49", "enrolments": 1, "level_gains": 0},  # KL0004 40 %
        {"course_type": "czech_a1", "attendance_band": "75-100", "enrolments": 1, "level_gains": 1},  # KL0003 90 %
        {"course_type": "sociocultural_orientation", "attendance_band": "75-100", "enrolments": 2,
         "level_gains": 0},
    ]


def test_orphan_counts_only_once_its_client_arrives(before_d3_home: Home, oracle_home: Home) -> None:
    args = ("--from", "2022-09-01", "--to", "2022-09-30", "--metric", "clients_reached", "--metric", "contacts")
    # Before d3, K007 names KL0008 who has not arrived: Sep = K008, K009 and KL0007, KL0002,
    # KL0003, KL0004 (C01), KL0001 (A01).
    assert json_rows(before_d3_home, *args) == [{"clients_reached": 5, "contacts": 2}]
    # After d3 the same row counts without being delivered again.
    assert json_rows(oracle_home, *args) == [{"clients_reached": 6, "contacts": 3}]


def test_age_band_uses_the_year_the_period_ends(oracle_home: Home) -> None:
    rows = json_rows(oracle_home, *AUG_OCT, "--by", "age_band", "--metric", "clients_reached")
    # 2022 minus birth year: KL0003 12; KL0101-0108 30, KL0001 32, KL0007 34 -> 30-44;
    # KL0002 37 -> 30-44, KL0008 42 -> 30-44; KL0004 52 -> 45-64; KL0006 62 -> 45-64.
    assert rows == [
        {"age_band": "0-17", "clients_reached": 1},
        {"age_band": "30-44", "clients_reached": 12},
        {"age_band": "45-64", "clients_reached": 2},
    ]


@pytest.fixture
def no_warehouse(tmp_path: Path) -> Iterator[Home]:
    yield Home(tmp_path).ensure()


def test_without_a_published_warehouse_the_user_is_told_to_build(no_warehouse: Home) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["--home", str(no_warehouse.root), "metrics", *AUG_OCT])
    assert status != 0
    assert "run reach load and then reach build first" in err.getvalue()
