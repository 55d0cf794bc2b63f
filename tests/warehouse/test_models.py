"""The dbt models on tiny raw data: latest wins, retractions, cascades, orphans, derivations.

One raw layer holds every scenario; dbt (seed + run + test) builds it once into a file that
the tests read. Client IDs name the scenario they belong to.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import pytest
from support.raw_rows import Delivery, client, write_raw

from pipelines.home import Home
from reach.build import run_dbt

pytestmark = pytest.mark.slow

AUG = date(2022, 8, 15)


def contact(delivery: Delivery, contact_id: str, client_id: str, **values: Any) -> Delivery:
    defaults = {"contact_date": AUG, "service": "social_counselling", "duration_min": 30, "deleted": False}
    return delivery.add("contacts", contact_id=contact_id, client_id=client_id, **(defaults | values))


def scenario_deliveries() -> list[Delivery]:
    first, second = Delivery(1), Delivery(2)

    # Latest wins: a later delivery corrects the district; within one delivery the lower row wins.
    client(first, "moved01", district="CZ0421")
    client(second, "moved01", district="CZ0426")
    client(first, "twice01", birth_year=1980)
    client(first, "twice01", birth_year=1981)
    contact(first, "k-corrected", "moved01", service="legal_counselling")
    contact(second, "k-corrected", "moved01", service="interpreting")

    # Retraction of one record: the contact is retracted later, the client stays.
    client(first, "keeps01")
    contact(first, "k-retracted", "keeps01")
    contact(second, "k-retracted", "keeps01", deleted=True)
    contact(first, "k-kept", "keeps01")

    # A retracted client: everything of theirs stops counting (and is not an orphan).
    client(first, "gone01")
    contact(first, "k-of-gone", "gone01")
    first.add("courses", course_id="course1", course_type="czech_a1", starts_on=date(2022, 9, 1),
              ends_on=date(2022, 12, 15), branch="Teplice", planned_hours=60, deleted=False)
    first.add("course_enrolments", course_id="course1", client_id="gone01", deleted=False)
    first.add("events", event_id="event1", event_type="lecture_public", event_date=AUG, district="CZ0100",
              audience="public", participants=30, participants_foreign=10, deleted=False)
    first.add("event_participants", event_id="event1", client_id="gone01", deleted=False)
    first.add("outcomes", outcome_id="o-of-gone", client_id="gone01", outcome_date=AUG,
              outcome="employment_found", verified=True, deleted=False)
    client(second, "gone01", deleted=True)

    # Orphans: a client never delivered; and one delivered only later (then it counts).
    contact(first, "k-orphan", "ghost01")
    first.add("outcomes", outcome_id="o-orphan", client_id="ghost01", outcome_date=AUG,
              outcome="housing_secured", deleted=False)
    contact(first, "k-late", "late01")
    client(second, "late01", registered_on=date(2022, 8, 1))

    # Target group derivation (only where the export left it empty).
    client(first, "tg-ua001", citizenship="UA", residence_status="asylum")
    client(first, "tg-asyl1", citizenship="SY", residence_status="asylum")
    client(first, "tg-subs1", citizenship="AF", residence_status="subsidiary_protection")
    client(first, "tg-vn001", citizenship="VN", residence_status="long_term")
    client(first, "tg-nocit", citizenship="stateless", residence_status="other")
    client(first, "tg-de001", citizenship="DE", residence_status="eu_temporary")
    client(first, "tg-cz001", citizenship="CZ", residence_status="other")
    client(first, "tg-no001", citizenship="NO", residence_status="subsidiary_protection")
    client(first, "tg-unkn1", citizenship="unknown", residence_status="unknown")
    client(first, "tg-given", citizenship="VN", target_group="majority_society")

    # Courses: level gains, open-ended course; events: participation of a delivered client.
    client(first, "learner1", district="CZ0100")
    first.add("courses", course_id="course2", course_type="czech_a2", starts_on=date(2022, 10, 1), ends_on=None,
              branch="Pobočka Ústí nad Labem", planned_hours=40, deleted=False)
    first.add("course_enrolments", course_id="course1", client_id="learner1", level_in="A1", level_out="A2",
              completed=True, exam="passed", deleted=False)
    first.add("course_enrolments", course_id="course2", client_id="learner1", level_in="A2", level_out=None,
              completed=None, deleted=False)
    first.add("course_enrolments", course_id="course-never", client_id="learner1", deleted=False)
    first.add("event_participants", event_id="event1", client_id="learner1", deleted=False)
    first.add("outcomes", outcome_id="o-learner", client_id="learner1", outcome_date=date(2022, 9, 10),
              outcome="czech_exam_passed", verified=None, deleted=False)
    contact(first, "k-branch", "learner1", branch="Kontaktní místo MOST", topic=None, mode="phone")

    # A course and an event retracted later take their enrolments and participations with them.
    first.add("courses", course_id="course3", course_type="czech_b1", starts_on=date(2022, 9, 1), ends_on=None,
              branch=None, planned_hours=20, deleted=False)
    second.add("courses", course_id="course3", course_type="czech_b1", starts_on=date(2022, 9, 1), ends_on=None,
               branch=None, planned_hours=20, deleted=True)
    first.add("course_enrolments", course_id="course3", client_id="learner1", deleted=False)
    first.add("events", event_id="event2", event_type="multicultural", event_date=AUG, district=None,
              participants=10, deleted=False)
    second.add("events", event_id="event2", event_type="multicultural", event_date=AUG, district=None,
               participants=10, deleted=True)
    first.add("event_participants", event_id="event2", client_id="learner1", deleted=False)
    return [first, second]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("dbt_models")
    home = Home(root).ensure()
    write_raw(home, *scenario_deliveries())
    build_db = home.builds_dir / "scenarios.duckdb"
    run_dbt(home, build_db, home.builds_dir / "target")
    con = duckdb.connect(str(build_db), read_only=True)
    yield con
    con.close()


def values(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    return [row[0] if len(row) == 1 else row for row in con.execute(sql).fetchall()]


def test_latest_delivery_wins(built: duckdb.DuckDBPyConnection) -> None:
    assert values(built, "select district from dim_client where client_id = 'moved01'") == ["CZ0426"]
    assert values(built, "select service from fct_contacts where contact_id = 'k-corrected'") == ["interpreting"]


def test_lower_row_of_one_delivery_wins(built: duckdb.DuckDBPyConnection) -> None:
    assert values(built, "select birth_year from dim_client where client_id = 'twice01'") == [1981]


def test_retracted_record_stops_counting(built: duckdb.DuckDBPyConnection) -> None:
    kept = values(built, "select contact_id from fct_contacts where client_key = 'ULK:keeps01' order by 1")
    assert kept == ["k-kept"]


def test_retracted_client_cascades(built: duckdb.DuckDBPyConnection) -> None:
    for table in ("dim_client", "fct_contacts", "fct_course_enrolments", "fct_event_participation",
                  "fct_outcomes", "fct_activities"):
        assert values(built, f"select count(*) from {table} where client_key = 'ULK:gone01'") == [0], table
    assert values(built, "select count(*) from mart_quarantine where value = 'gone01'") == [0]
    # The course and event themselves stay: they were not retracted.
    assert values(built, "select count(*) from fct_events where event_id = 'event1'") == [1]


def test_orphans_are_flagged_not_counted(built: duckdb.DuckDBPyConnection) -> None:
    assert values(built, "select is_orphan from intermediate.int_contacts where contact_id = 'k-orphan'") == [True]
    assert values(built, "select count(*) from fct_contacts where contact_id = 'k-orphan'") == [0]
    assert values(built, "select count(*) from fct_outcomes where outcome_id = 'o-orphan'") == [0]
    quarantined = values(built, "select file_kind, value, reason from mart_quarantine where kind = 'orphan' order by 1")
    assert quarantined == [
        ("kontakty", "ghost01", "orphan: client not delivered"),
        ("vysledky", "ghost01", "orphan: client not delivered"),
    ]


def test_orphan_counts_once_its_client_arrives(built: duckdb.DuckDBPyConnection) -> None:
    assert values(built, "select client_key from fct_contacts where contact_id = 'k-late'") == ["ULK:late01"]
    assert values(built, "select is_orphan from intermediate.int_contacts where contact_id = 'k-late'") == [False]


@pytest.mark.parametrize(("client_id", "expected"), [
    ("tg-ua001", "ukrainian"),  # UA wins over the asylum status
    ("tg-asyl1", "international_protection"),
    ("tg-subs1", "international_protection"),
    ("tg-vn001", "third_country_national"),
    ("tg-nocit", "third_country_national"),  # stateless counts as outside the EU/EEA/CH
    ("tg-de001", "eu_citizen"),  # EU, EEA and Swiss citizens are not unknown
    ("tg-cz001", "majority_society"),
    ("tg-no001", "international_protection"),  # the status wins over an EEA citizenship
    ("tg-unkn1", "unknown"),
    ("tg-given", "majority_society"),  # delivered values are kept
])
def test_target_group_derivation(built: duckdb.DuckDBPyConnection, client_id: str, expected: str) -> None:
    assert values(built, f"select target_group from dim_client where client_id = '{client_id}'") == [expected]


def test_district_elsewhere_in_czechia_is_kept(built: duckdb.DuckDBPyConnection) -> None:
    """A ULK client living in Prague is in Prague (district and region), outside the centre's region."""
    row = values(built, """select district, residence_district_code, region, in_centre_region
                           from dim_client where client_id = 'learner1'""")
    assert row == [("CZ0100", "CZ0100", "CZ010", "no")]
    assert values(built, "select district, in_centre_region from fct_events where event_id = 'event1'") == [
        ("CZ0100", "no")]


def test_course_enrolments(built: duckdb.DuckDBPyConnection) -> None:
    rows = values(built, """
        select course_id, level_gain, completed, exam, course_active_to
        from fct_course_enrolments where client_key = 'ULK:learner1' order by course_id""")
    assert rows == [
        ("course1", True, True, "passed", date(2022, 12, 15)),
        ("course2", False, False, "not_taken", date(2022, 10, 1)),  # open-ended: active on its start
    ]
    # An enrolment in a course never delivered is kept (intermediate) but not in the fact.
    assert values(built, "select has_course from intermediate.int_course_enrolments where course_id = 'course-never'") \
        == [False]


def test_retracted_course_and_event_take_their_activities(built: duckdb.DuckDBPyConnection) -> None:
    assert values(built, "select count(*) from fct_course_enrolments where course_id = 'course3'") == [0]
    assert values(built, "select count(*) from fct_event_participation where event_id = 'event2'") == [0]
    assert values(built, "select count(*) from fct_events where event_id = 'event2'") == [0]
    assert values(built, "select has_event from intermediate.int_event_participants where event_id = 'event2'") \
        == [False]


def test_activities_union(built: duckdb.DuckDBPyConnection) -> None:
    rows = values(built, """
        select activity_kind, activity_id, service, active_from, active_to
        from fct_activities where client_key = 'ULK:learner1' order by 1, 2""")
    assert rows == [
        ("contact", "k-branch", "social_counselling", AUG, AUG),
        ("course", "course1", "czech_a1", date(2022, 9, 1), date(2022, 12, 15)),
        ("course", "course2", "czech_a2", date(2022, 10, 1), date(2022, 10, 1)),
        ("event", "event1", "event_lecture_public", AUG, AUG),
    ]


def test_contact_codes_and_branch_district(built: duckdb.DuckDBPyConnection) -> None:
    row = values(built, "select topic, mode, branch_district from fct_contacts where contact_id = 'k-branch'")
    assert row == [("unknown", "phone", "CZ0425")]
    branch = "Pobočka Ústí nad Labem"
    assert values(built, f"select branch_district from intermediate.int_branches where branch = '{branch}'") \
        == ["CZ0427"]


def test_outcome_days_from_registration(built: duckdb.DuckDBPyConnection) -> None:
    row = values(built, "select verified, days_from_registration from fct_outcomes where outcome_id = 'o-learner'")
    assert row == [(False, 40)]


def test_branch_month_contacts(built: duckdb.DuckDBPyConnection) -> None:
    total = values(built, "select sum(contacts) from mart_branch_month_contacts")
    assert total == values(built, "select count(*) from fct_contacts")


def test_published_models_are_tables(built: duckdb.DuckDBPyConnection) -> None:
    assert values(built, "select count(*) from duckdb_views() where not internal") == [0]
    marts = set(values(built, "select table_name from duckdb_tables() where schema_name = 'main'"))
    contract = {"dim_client", "fct_contacts", "fct_course_enrolments", "fct_event_participation", "fct_events",
                "fct_outcomes", "fct_activities", "dim_country", "dim_district", "dim_service", "dim_outcome",
                "dim_date", "mart_deliveries", "mart_load_files", "mart_quarantine", "mart_branch_month_contacts"}
    assert contract <= marts


