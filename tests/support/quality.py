"""A small, clean raw layer for quality-gate tests, written with the build tests' helpers.

Eight monthly deliveries (Aug 2022 - Mar 2023) of one centre: 24 clients, steady contacts in two
branches every month (so completeness and anomaly checks stay quiet), courses, enrolments,
events, registered participants and outcomes. Nothing is orphaned, repeated or quarantined, so
every expectation passes until a test breaks one row.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

from pipelines.home import Home
from support.raw_rows import Delivery, client, write_raw

MONTHS = [date(2022 + (7 + i) // 12, (7 + i) % 12 + 1, 1) for i in range(8)]  # 2022-08 .. 2023-03
BRANCHES = ("Pobočka Teplice", "Kontaktní místo Most")
CONTACTS_PER_BRANCH_MONTH = 10
CLIENTS = [f"client{n:03d}" for n in range(24)]
SERVICES = ("social_counselling", "legal_counselling", "information_centre", "interpreting")
CITIZENSHIPS = ("UA", "VN", "MN", "RU", "SK", "stateless")


def clean_deliveries() -> list[Delivery]:
    deliveries = [Delivery(seq) for seq in range(1, len(MONTHS) + 1)]
    first = deliveries[0]
    for n, client_id in enumerate(CLIENTS):
        client(first, client_id, sex=("female", "male")[n % 2], birth_year=1960 + n,
               citizenship=CITIZENSHIPS[n % len(CITIZENSHIPS)], district=("CZ0426", "CZ0425", "CZ0100")[n % 3],
               registered_on=date(2022, 8, 1 + n % 20))
    for delivery, month in zip(deliveries, MONTHS, strict=True):
        for b, branch in enumerate(BRANCHES):
            for k in range(CONTACTS_PER_BRANCH_MONTH):
                delivery.add(
                    "contacts", contact_id=f"k-{month:%Y%m}-{b}-{k:02d}", client_id=CLIENTS[(k * 3 + b) % 24],
                    contact_date=month.replace(day=1 + k), service=SERVICES[k % len(SERVICES)],
                    topic=("residence", "employment", None)[k % 3], mode=("in_person", "phone")[k % 2],
                    duration_min=30 + k, branch=branch, interpreted=k % 2 == 0, deleted=False,
                )
    first.add("courses", course_id="course-a1", course_type="czech_a1", starts_on=date(2022, 9, 1),
              ends_on=date(2022, 12, 15), branch=BRANCHES[0], planned_hours=60, deleted=False)
    first.add("courses", course_id="course-soc", course_type="sociocultural_orientation",
              starts_on=date(2022, 10, 5), ends_on=None, branch=BRANCHES[1], planned_hours=4, deleted=False)
    for n, client_id in enumerate(CLIENTS[:6]):
        first.add("course_enrolments", course_id="course-a1", client_id=client_id, enrolled_on=date(2022, 8, 25),
                  attendance_pct=80.5 + n, level_in="A1", level_out=("A2", "A1")[n % 2], completed=True,
                  exam=("passed", "failed", "not_taken")[n % 3], deleted=False)
        first.add("course_enrolments", course_id="course-soc", client_id=client_id, enrolled_on=date(2022, 10, 1),
                  attendance_pct=100.0, level_in=None, level_out=None, completed=True, exam="not_taken",
                  deleted=False)
    first.add("events", event_id="event-1", event_type="lecture_public", event_date=date(2022, 9, 20),
              district="CZ0426", audience="public", participants=40, participants_foreign=12, deleted=False)
    first.add("events", event_id="event-2", event_type="multicultural", event_date=date(2022, 11, 12),
              district="CZ0100", audience="mixed", participants=25, participants_foreign=25, deleted=False)
    for client_id in CLIENTS[6:12]:
        first.add("event_participants", event_id="event-1", client_id=client_id, deleted=False)
    for n, client_id in enumerate(CLIENTS[:8]):
        first.add("outcomes", outcome_id=f"o-{n:02d}", client_id=client_id, outcome_date=date(2022, 10, 1 + n),
                  outcome=("employment_found", "housing_secured")[n % 2], verified=n % 2 == 0, deleted=False)
    return deliveries


def write_clean_raw(home: Home) -> None:
    write_raw(home, *clean_deliveries())


def copy_home(source: Home, root: Path) -> Home:
    """A new home at `root` holding copies of `source`'s raw layer, published warehouse and perturbation
    secret (the warehouse's figures were made with it: a home without it refuses to build)."""
    home = Home(root).ensure()
    shutil.copy(source.raw_db, home.raw_db)
    shutil.copy(source.warehouse_db, home.warehouse_db)
    if source.perturbation_secret.exists():
        shutil.copytree(source.perturbation_secret.parent, home.perturbation_secret.parent)
    return home


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
