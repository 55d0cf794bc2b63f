"""A DuckDB file holding the marts of the MART CONTRACT, filled from small Python rows.

Used to unit-test the metric SQL independently of the dbt build (the oracle tests run the
real load + build). Only the columns the contract names are created, plus the record keys a
build adds (pipelines/disclosure/record_keys.py), made with the home's own perturbation secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import duckdb

from pipelines.disclosure.record_keys import add_record_keys
from pipelines.disclosure.secret import secret_for_build
from pipelines.home import Home
from pipelines.reference.centres import centres
from pipelines.reference.districts import districts
from pipelines.reference.regions import regions

MART_DDL = {
    "dim_client": """client_key VARCHAR, centre VARCHAR, client_id VARCHAR, sex VARCHAR, birth_year INTEGER,
        nationality VARCHAR, district VARCHAR, residence_district_code VARCHAR, region VARCHAR,
        centre_region VARCHAR, in_centre_region VARCHAR, target_group VARCHAR,
        residence_status VARCHAR, municipality VARCHAR, registered_on DATE, linkage_key VARCHAR""",
    "fct_contacts": """contact_key VARCHAR, centre VARCHAR, contact_id VARCHAR, client_key VARCHAR,
        contact_date DATE, service VARCHAR, topic VARCHAR, mode VARCHAR, duration_min INTEGER, branch VARCHAR,
        branch_district VARCHAR, interpreted BOOLEAN""",
    "fct_course_enrolments": """enrolment_key VARCHAR, centre VARCHAR, course_id VARCHAR, client_key VARCHAR,
        course_type VARCHAR, starts_on DATE, ends_on DATE, course_active_to DATE, enrolled_on DATE,
        attendance_pct DOUBLE, level_in VARCHAR, level_out VARCHAR, level_gain BOOLEAN, completed BOOLEAN,
        exam VARCHAR, branch VARCHAR""",
    "fct_event_participation": """centre VARCHAR, event_id VARCHAR, client_key VARCHAR, event_type VARCHAR,
        event_date DATE, event_district VARCHAR, event_region VARCHAR""",
    "fct_events": """event_key VARCHAR, centre VARCHAR, event_id VARCHAR, event_type VARCHAR, event_date DATE,
        district VARCHAR, district_code VARCHAR, region VARCHAR, centre_region VARCHAR, in_centre_region VARCHAR,
        audience VARCHAR, participants INTEGER, participants_foreign INTEGER""",
    "fct_outcomes": """outcome_key VARCHAR, centre VARCHAR, outcome_id VARCHAR, client_key VARCHAR,
        outcome_date DATE, outcome VARCHAR, verified BOOLEAN, days_from_registration INTEGER""",
    "fct_activities": """centre VARCHAR, client_key VARCHAR, activity_kind VARCHAR, activity_id VARCHAR,
        service VARCHAR, active_from DATE, active_to DATE""",
    "dim_district": """code VARCHAR, name VARCHAR, region_code VARCHAR,
        foreign_residents INTEGER, foreign_residents_year INTEGER, population_2021 INTEGER""",
    "dim_region": """code VARCHAR, name VARCHAR, name_en VARCHAR, foreign_residents INTEGER,
        foreign_residents_year INTEGER""",
}
_REGION_OF = {d.code: d.region_code for d in districts()}
_CENTRE_REGION = {c.code: c.region_code for c in centres()}


def _places(district: str, centre: str) -> tuple[str, str, str | None, str]:
    """A district (code or unknown) with its region, the centre's region and in_centre_region, as the build
    derives them (int_clients, int_events): the centre's region from the reference (ref_centres)."""
    code = district if district in _REGION_OF else "unknown"
    region = _REGION_OF.get(code, "unknown")
    centre_region = _CENTRE_REGION.get(centre)
    inside = "unknown" if region == "unknown" or centre_region is None else (
        "yes" if region == centre_region else "no")
    return code, region, centre_region, inside

CEFR_ORDER = ["pre-A1", "A1", "A2", "B1", "B2", "C1", "C2"]


class MartBuilder:
    """Rows of clients and their records, written as marts the way the contract defines them.

    Rows are filed under `centre`, which may be changed between rows to build several centres.
    """

    def __init__(self, centre: str = "ULK") -> None:
        self.centre = centre
        self.clients: list[tuple] = []
        self.contacts: list[tuple] = []
        self.enrolments: list[tuple] = []
        self.events: list[tuple] = []
        self.participation: list[tuple] = []
        self.outcomes: list[tuple] = []
        self._registered: dict[str, date] = {}

    def key(self, client_id: str) -> str:
        return f"{self.centre}:{client_id}"

    def client(
        self, client_id: str, *, registered_on: date, nationality: str = "UA", district: str = "CZ0427",
        sex: str = "female", birth_year: int | None = 1990, target_group: str = "ukrainian",
        residence_status: str = "temporary_protection", linkage_key: str | None = None,
    ) -> MartBuilder:
        code, region, centre_region, inside = _places(district, self.centre)
        self.clients.append((
            self.key(client_id), self.centre, client_id, sex, birth_year, nationality, code, code, region,
            centre_region, inside, target_group, residence_status, None, registered_on, linkage_key,
        ))
        self._registered[client_id] = registered_on
        return self

    def contact(
        self, contact_id: str, client_id: str, on: date, service: str = "social_counselling", *,
        topic: str = "residence", mode: str = "in_person", duration_min: int | None = 60,
        branch: str = "Ústí nad Labem", interpreted: bool = False,
    ) -> MartBuilder:
        self.contacts.append((
            f"{self.centre}:{contact_id}", self.centre, contact_id, self.key(client_id), on, service, topic, mode,
            duration_min, branch, None, interpreted,
        ))
        return self

    def enrolment(
        self, course_id: str, client_id: str, course_type: str, starts_on: date, ends_on: date | None, *,
        attendance_pct: float | None = 80.0, level_in: str | None = None, level_out: str | None = None,
        completed: bool = False, exam: str = "not_taken", branch: str = "Ústí nad Labem",
    ) -> MartBuilder:
        gain = (
            level_in in CEFR_ORDER and level_out in CEFR_ORDER
            and CEFR_ORDER.index(level_out) > CEFR_ORDER.index(level_in)
        )
        self.enrolments.append((
            f"{self.centre}:{course_id}:{client_id}", self.centre, course_id, self.key(client_id), course_type,
            starts_on, ends_on, ends_on or starts_on, starts_on, attendance_pct, level_in, level_out, gain,
            completed, exam, branch,
        ))
        return self

    def event(
        self, event_id: str, event_type: str, on: date, *, district: str = "CZ0427", audience: str = "foreigners",
        participants: int = 20, participants_foreign: int | None = 15, client_ids: Sequence[str] = (),
    ) -> MartBuilder:
        code, region, centre_region, inside = _places(district, self.centre)
        self.events.append((
            f"{self.centre}:{event_id}", self.centre, event_id, event_type, on, code, code, region, centre_region,
            inside, audience, participants, participants_foreign,
        ))
        for client_id in client_ids:
            self.participation.append((self.centre, event_id, self.key(client_id), event_type, on, code, region))
        return self

    def outcome(
        self, outcome_id: str, client_id: str, on: date, outcome: str = "employment_found", *, verified: bool = True,
    ) -> MartBuilder:
        days = (on - self._registered[client_id]).days
        self.outcomes.append((
            f"{self.centre}:{outcome_id}", self.centre, outcome_id, self.key(client_id), on, outcome, verified, days,
        ))
        return self

    def activities(self) -> Iterable[tuple]:
        for row in self.contacts:
            yield (row[1], row[3], "contact", row[2], row[5], row[4], row[4])
        for row in self.enrolments:
            yield (row[1], row[3], "course", row[2], row[4], row[5], row[7])
        for row in self.participation:
            yield (row[0], row[2], "event", row[1], "event_" + row[3], row[4], row[4])

    def write(self, path: Path, foreign_residents: dict[str, int] | None = None) -> Path:
        """The marts; `foreign_residents`: the denominators by district or region code (dim_district, dim_region)."""
        residents = foreign_residents or {}
        con = duckdb.connect(str(path))
        try:
            for table, ddl in MART_DDL.items():
                con.execute(f"CREATE OR REPLACE TABLE {table} ({ddl})")
            inserts = {
                "dim_client": self.clients, "fct_contacts": self.contacts, "fct_course_enrolments": self.enrolments,
                "fct_events": self.events, "fct_event_participation": self.participation,
                "fct_outcomes": self.outcomes, "fct_activities": list(self.activities()),
                "dim_district": [
                    *((d.code, d.name, d.region_code, residents.get(d.code), 2022, None) for d in districts()),
                    ("unknown", "Neznámý", None, None, None, None),
                ],
                "dim_region": [
                    *((r.code, r.name_cs, r.name_en, residents.get(r.code), 2022) for r in regions()),
                    ("unknown", "Neznámý", "Unknown", None, None),
                ],
            }
            for table, rows in inserts.items():
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            con.execute("ALTER TABLE fct_event_participation ADD COLUMN participation_key VARCHAR")
            con.execute("UPDATE fct_event_participation SET participation_key = centre || ':' || event_id || ':' "
                        "|| client_key")
        finally:
            con.close()
        return path


def _write_secret(home: Home, secret: bytes) -> None:
    """The secret file in the form `pipelines.disclosure.secret` reads (hex text, 0600 in a 0700 folder)."""
    path = home.perturbation_secret
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(secret.hex().encode("ascii"))
    path.chmod(0o600)


# Hand-made homes share one fixed secret, so their protected figures are the same in every run:
# a test that reads a protected value must not pass or fail by a random draw. (Built homes keep
# the random secret a real build creates.)
FIXED_TEST_SECRET = bytes(range(32))


def home_with_marts(root: Path, marts: MartBuilder, foreign_residents: dict[str, int] | None = None) -> Home:
    """A home whose published warehouse file holds the given marts, protected with the fixed test secret."""
    home = Home(root).ensure()
    marts.write(home.warehouse_db, foreign_residents)
    _write_secret(home, FIXED_TEST_SECRET)
    add_record_keys(home.warehouse_db, secret_for_build(home, None))
    return home
