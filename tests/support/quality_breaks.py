"""One-row breaks of the clean quality data (tests/_quality_support.py), one per error expectation.

Each break is SQL run either on the raw layer (through connect_raw_layer, so `raw.` and `meta.`
name its tables) or on the built warehouse file (its main schema). A break changes exactly one
row (or, for uniqueness, adds one duplicate row) of otherwise clean data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer

FUTURE = "current_date + 30"


@dataclass(frozen=True)
class Break:
    scope: str  # raw | mart
    sql: str
    one_row: bool = True  # a row expectation: exactly one row must be reported


def apply(brk: Break, home: Home, build_db: Path) -> None:
    if brk.scope == "raw":
        with connect_raw_layer(str(home.raw_db)) as con:
            con.execute(brk.sql)
    else:
        with duckdb.connect(str(build_db)) as con:
            con.execute(brk.sql)


def _update(scope: str, table: str, where: str, assignment: str) -> Break:
    schema = "raw." if scope == "raw" else ""
    return Break(scope, f"UPDATE {schema}{table} SET {assignment} WHERE {where}")


def _raw(table: str, where: str, assignment: str) -> Break:
    return _update("raw", table, where, assignment)


def _mart(table: str, where: str, assignment: str) -> Break:
    return _update("mart", table, where, assignment)


def _duplicate(table: str, where: str) -> Break:
    return Break("mart", f"INSERT INTO {table} SELECT * FROM {table} WHERE {where}", one_row=False)


def _check(scope: str, sql: str) -> Break:
    return Break(scope, sql, one_row=False)


CLIENT = "client_id = 'client005'"
CONTACT = "contact_id = 'k-202208-0-00'"
ENROLMENT = "course_id = 'course-a1' AND client_id = 'client001'"
COURSE = "course_id = 'course-a1'"
EVENT = "event_id = 'event-1'"
PARTICIPANT = "client_id = 'client006'"
OUTCOME = "outcome_id = 'o-01'"

M_CLIENT = "client_key = 'ULK:client005'"
M_CONTACT = "contact_key = 'ULK:k-202208-0-00'"
M_ENROLMENT = "enrolment_key = 'ULK:course-a1:client001'"
M_EVENT = "event_key = 'ULK:event-1'"
M_PARTICIPANT = "client_key = 'ULK:client006'"
M_OUTCOME = "outcome_key = 'ULK:o-01'"
M_ACTIVITY = "activity_id = 'k-202208-0-00'"
NOBODY = "client_key = 'ULK:nobody01'"

BREAKS: dict[tuple[str, str], Break] = {
    # raw.clients
    ("raw_clients", "client_id_present"): _raw("clients", CLIENT, "client_id = NULL"),
    ("raw_clients", "client_id_pseudonym_shape"): _raw("clients", CLIENT, "client_id = 'bad id!'"),
    ("raw_clients", "linkage_key_digest_shape"): _raw("clients", CLIENT, "linkage_key = 'Olena Kovalenko 1990'"),
    ("raw_clients", "registered_on_present"): _raw("clients", CLIENT, "registered_on = NULL"),
    ("raw_clients", "registered_on_not_future"): _raw("clients", CLIENT, f"registered_on = {FUTURE}"),
    ("raw_clients", "birth_year_from_1900"): _raw("clients", CLIENT, "birth_year = 1850"),
    ("raw_clients", "birth_year_not_future"): _raw("clients", CLIENT, "birth_year = year(current_date) + 1"),
    ("raw_clients", "sex_known_code"): _raw("clients", CLIENT, "sex = 'muž'"),
    ("raw_clients", "citizenship_known_code"): _raw("clients", CLIENT, "citizenship = 'Ukrajina'"),
    ("raw_clients", "residence_status_known_code"): _raw("clients", CLIENT, "residence_status = 'refugee'"),
    ("raw_clients", "district_known_code"): _raw("clients", CLIENT, "district = 'Děčín'"),
    ("raw_clients", "target_group_known_code"): _raw("clients", CLIENT, "target_group = 'refugees'"),
    ("raw_clients", "loaded_rows_match_load_record"): _check("raw", f"DELETE FROM raw.clients WHERE {CLIENT}"),
    # raw.contacts
    ("raw_contacts", "contact_id_present"): _raw("contacts", CONTACT, "contact_id = NULL"),
    ("raw_contacts", "client_id_present"): _raw("contacts", CONTACT, "client_id = NULL"),
    ("raw_contacts", "client_id_pseudonym_shape"): _raw("contacts", CONTACT, "client_id = 'bad id!'"),
    ("raw_contacts", "contact_date_present"): _raw("contacts", CONTACT, "contact_date = NULL"),
    ("raw_contacts", "contact_date_not_future"): _raw("contacts", CONTACT, f"contact_date = {FUTURE}"),
    ("raw_contacts", "service_known_code"): _raw("contacts", CONTACT, "service = 'therapy'"),
    ("raw_contacts", "topic_known_code"): _raw("contacts", CONTACT, "topic = 'weather'"),
    ("raw_contacts", "mode_known_code"): _raw("contacts", CONTACT, "mode = 'pigeon'"),
    ("raw_contacts", "duration_in_range"): _raw("contacts", CONTACT, "duration_min = 601"),
    ("raw_contacts", "loaded_rows_match_load_record"): _check("raw", f"DELETE FROM raw.contacts WHERE {CONTACT}"),
    # raw.courses
    ("raw_courses", "course_id_present"): _raw("courses", COURSE, "course_id = NULL"),
    ("raw_courses", "starts_on_present"): _raw("courses", COURSE, "starts_on = NULL"),
    ("raw_courses", "ends_not_before_start"): _raw("courses", COURSE, "ends_on = starts_on - 1"),
    ("raw_courses", "course_type_known_code"): _raw("courses", COURSE, "course_type = 'czech_z9'"),
    ("raw_courses", "planned_hours_not_negative"): _raw("courses", COURSE, "planned_hours = -1"),
    ("raw_courses", "loaded_rows_match_load_record"): _check("raw", f"DELETE FROM raw.courses WHERE {COURSE}"),
    # raw.course_enrolments
    ("raw_course_enrolments", "course_id_present"): _raw("course_enrolments", ENROLMENT, "course_id = NULL"),
    ("raw_course_enrolments", "client_id_present"): _raw("course_enrolments", ENROLMENT, "client_id = NULL"),
    ("raw_course_enrolments", "client_id_pseudonym_shape"):
        _raw("course_enrolments", ENROLMENT, "client_id = 'bad id!'"),
    ("raw_course_enrolments", "enrolled_on_not_future"):
        _raw("course_enrolments", ENROLMENT, f"enrolled_on = {FUTURE}"),
    ("raw_course_enrolments", "attendance_0_to_100"): _raw("course_enrolments", ENROLMENT, "attendance_pct = 100.5"),
    ("raw_course_enrolments", "level_in_known_code"): _raw("course_enrolments", ENROLMENT, "level_in = 'A3'"),
    ("raw_course_enrolments", "level_out_known_code"): _raw("course_enrolments", ENROLMENT, "level_out = 'D1'"),
    ("raw_course_enrolments", "exam_known_code"): _raw("course_enrolments", ENROLMENT, "exam = 'maybe'"),
    ("raw_course_enrolments", "loaded_rows_match_load_record"):
        _check("raw", f"DELETE FROM raw.course_enrolments WHERE {ENROLMENT}"),
    # raw.events
    ("raw_events", "event_id_present"): _raw("events", EVENT, "event_id = NULL"),
    ("raw_events", "event_date_present"): _raw("events", EVENT, "event_date = NULL"),
    ("raw_events", "event_date_not_future"): _raw("events", EVENT, f"event_date = {FUTURE}"),
    ("raw_events", "event_type_known_code"): _raw("events", EVENT, "event_type = 'party'"),
    ("raw_events", "district_known_code"): _raw("events", EVENT, "district = 'Děčín'"),
    ("raw_events", "audience_known_code"): _raw("events", EVENT, "audience = 'aliens'"),
    ("raw_events", "participants_present"): _raw("events", EVENT, "participants = NULL"),
    ("raw_events", "participants_not_negative"): _raw("events", EVENT, "participants = -1, participants_foreign = -1"),
    ("raw_events", "participants_foreign_not_negative"): _raw("events", EVENT, "participants_foreign = -1"),
    ("raw_events", "foreign_within_participants"):
        _raw("events", EVENT, "participants_foreign = participants + 1"),
    ("raw_events", "loaded_rows_match_load_record"): _check("raw", f"DELETE FROM raw.events WHERE {EVENT}"),
    # raw.event_participants
    ("raw_event_participants", "event_id_present"): _raw("event_participants", PARTICIPANT, "event_id = NULL"),
    ("raw_event_participants", "client_id_present"): _raw("event_participants", PARTICIPANT, "client_id = NULL"),
    ("raw_event_participants", "client_id_pseudonym_shape"):
        _raw("event_participants", PARTICIPANT, "client_id = 'bad id!'"),
    ("raw_event_participants", "loaded_rows_match_load_record"):
        _check("raw", f"DELETE FROM raw.event_participants WHERE {PARTICIPANT}"),
    # raw.outcomes
    ("raw_outcomes", "outcome_id_present"): _raw("outcomes", OUTCOME, "outcome_id = NULL"),
    ("raw_outcomes", "client_id_present"): _raw("outcomes", OUTCOME, "client_id = NULL"),
    ("raw_outcomes", "client_id_pseudonym_shape"): _raw("outcomes", OUTCOME, "client_id = 'bad id!'"),
    ("raw_outcomes", "outcome_date_present"): _raw("outcomes", OUTCOME, "outcome_date = NULL"),
    ("raw_outcomes", "outcome_date_not_future"): _raw("outcomes", OUTCOME, f"outcome_date = {FUTURE}"),
    ("raw_outcomes", "outcome_known_code"): _raw("outcomes", OUTCOME, "outcome = 'lottery'"),
    ("raw_outcomes", "loaded_rows_match_load_record"): _check("raw", f"DELETE FROM raw.outcomes WHERE {OUTCOME}"),
    # meta.* (the loader's records)
    ("raw_load_records", "files_rows_reconcile"): _check(
        "raw", "UPDATE meta.load_files SET rows_read = rows_read + 1 WHERE load_seq = 1 AND file_name = 'akce.csv'"),
    ("raw_load_records", "deliveries_add_up_to_files"): _check(
        "raw", "UPDATE meta.deliveries SET rows_loaded = rows_loaded + 1 WHERE load_seq = 1"),
    ("raw_load_records", "quarantine_rows_recorded"): _check(
        "raw", "INSERT INTO meta.quarantine SELECT delivery_id, centre, load_seq, file_name, file_kind, file_sha256, "
               "99, 'Datum', '31.2.2022', 'not a date', '{}', loaded_at FROM meta.load_files "
               "WHERE load_seq = 1 AND file_name = 'kontakty.csv'"),
    # dim_client
    ("mart_dim_client", "linkage_key_digest_shape"):
        _mart("dim_client", M_CLIENT,
              "linkage_key = 'Olena Kovalenko 1990', national_key = 'linkage:Olena Kovalenko 1990'"),
    ("mart_dim_client", "national_key_derived"): _mart("dim_client", M_CLIENT, "national_key = 'Olena Kovalenko'"),
    ("mart_dim_client", "nationality_valid"): _mart("dim_client", M_CLIENT, "nationality = 'Ukrajina'"),
    ("mart_dim_client", "district_valid"): _mart("dim_client", M_CLIENT, "district = 'CZ9999'"),
    ("mart_dim_client", "region_valid"): _mart("dim_client", M_CLIENT, "region = 'CZ099'"),
    ("mart_dim_client", "in_centre_region_valid"): _mart("dim_client", M_CLIENT, "in_centre_region = 'maybe'"),
    # a ULK client's reach district in Prague: the district lies outside the centre's region
    ("mart_dim_client", "district_in_centre_region"): _mart("dim_client", M_CLIENT, "region = 'CZ051'"),
    ("mart_dim_client", "residence_district_code_valid"):
        _mart("dim_client", M_CLIENT, "residence_district_code = 'CZ9999'"),
    ("mart_dim_client", "target_group_valid"): _mart("dim_client", M_CLIENT, "target_group = 'refugees'"),
    ("mart_dim_client", "target_group_present"): _mart("dim_client", M_CLIENT, "target_group = NULL"),
    ("mart_dim_client", "sex_valid"): _mart("dim_client", M_CLIENT, "sex = 'muž'"),
    ("mart_dim_client", "registered_on_present"): _mart("dim_client", M_CLIENT, "registered_on = NULL"),
    ("mart_dim_client", "registered_on_not_future"): _mart("dim_client", M_CLIENT, f"registered_on = {FUTURE}"),
    ("mart_dim_client", "birth_year_plausible"): _mart("dim_client", M_CLIENT, "birth_year = 1850"),
    ("mart_dim_client", "birth_year_not_future"):
        _mart("dim_client", M_CLIENT, "birth_year = year(current_date) + 1"),
    ("mart_dim_client", "sex_present"): _mart("dim_client", M_CLIENT, "sex = NULL"),
    ("mart_dim_client", "nationality_present"): _mart("dim_client", M_CLIENT, "nationality = NULL"),
    ("mart_dim_client", "district_present"): _mart("dim_client", M_CLIENT, "district = NULL"),
    ("mart_dim_client", "residence_district_code_present"):
        _mart("dim_client", M_CLIENT, "residence_district_code = NULL"),
    ("mart_dim_client", "residence_status_present"): _mart("dim_client", M_CLIENT, "residence_status = NULL"),
    ("mart_dim_client", "residence_status_valid"): _mart("dim_client", M_CLIENT, "residence_status = 'refugee'"),
    # fct_contacts
    ("mart_fct_contacts", "contact_date_present"): _mart("fct_contacts", M_CONTACT, "contact_date = NULL"),
    ("mart_fct_contacts", "contact_date_not_future"): _mart("fct_contacts", M_CONTACT, f"contact_date = {FUTURE}"),
    ("mart_fct_contacts", "service_valid"): _mart("fct_contacts", M_CONTACT, "service = 'therapy'"),
    ("mart_fct_contacts", "topic_valid"): _mart("fct_contacts", M_CONTACT, "topic = 'weather'"),
    ("mart_fct_contacts", "mode_valid"): _mart("fct_contacts", M_CONTACT, "mode = 'pigeon'"),
    ("mart_fct_contacts", "duration_in_range"): _mart("fct_contacts", M_CONTACT, "duration_min = 601"),
    ("mart_fct_contacts", "branch_district_valid"): _mart("fct_contacts", M_CONTACT, "branch_district = 'CZ9999'"),
    ("mart_fct_contacts", "service_present"): _mart("fct_contacts", M_CONTACT, "service = NULL"),
    ("mart_fct_contacts", "topic_present"): _mart("fct_contacts", M_CONTACT, "topic = NULL"),
    ("mart_fct_contacts", "mode_present"): _mart("fct_contacts", M_CONTACT, "mode = NULL"),
    ("mart_fct_contacts", "interpreted_present"): _mart("fct_contacts", M_CONTACT, "interpreted = NULL"),
    # fct_course_enrolments
    ("mart_fct_course_enrolments", "starts_on_present"):
        _mart("fct_course_enrolments", M_ENROLMENT, "starts_on = NULL"),
    ("mart_fct_course_enrolments", "course_end_not_before_start"):
        _mart("fct_course_enrolments", M_ENROLMENT, "ends_on = starts_on - 1, course_active_to = starts_on - 1"),
    ("mart_fct_course_enrolments", "course_active_to_defined"):
        _mart("fct_course_enrolments", M_ENROLMENT, "course_active_to = ends_on + 1"),
    ("mart_fct_course_enrolments", "level_in_valid"): _mart("fct_course_enrolments", M_ENROLMENT, "level_in = 'A3'"),
    ("mart_fct_course_enrolments", "level_out_valid"):
        _mart("fct_course_enrolments", M_ENROLMENT, "level_out = 'D1'"),
    ("mart_fct_course_enrolments", "attendance_0_to_100"):
        _mart("fct_course_enrolments", M_ENROLMENT, "attendance_pct = 100.5"),
    ("mart_fct_course_enrolments", "course_type_valid"):
        _mart("fct_course_enrolments", M_ENROLMENT, "course_type = 'czech_z9'"),
    ("mart_fct_course_enrolments", "exam_valid"): _mart("fct_course_enrolments", M_ENROLMENT, "exam = 'maybe'"),
    ("mart_fct_course_enrolments", "course_type_present"):
        _mart("fct_course_enrolments", M_ENROLMENT, "course_type = NULL"),
    ("mart_fct_course_enrolments", "level_gain_present"):
        _mart("fct_course_enrolments", M_ENROLMENT, "level_gain = NULL"),
    ("mart_fct_course_enrolments", "completed_present"):
        _mart("fct_course_enrolments", M_ENROLMENT, "completed = NULL"),
    ("mart_fct_course_enrolments", "exam_present"): _mart("fct_course_enrolments", M_ENROLMENT, "exam = NULL"),
    ("mart_fct_course_enrolments", "course_active_to_present"):
        _mart("fct_course_enrolments", M_ENROLMENT, "course_active_to = NULL, ends_on = NULL, starts_on = NULL"),
    ("mart_fct_course_enrolments", "level_gain_consistent"):
        _check("mart", f"UPDATE fct_course_enrolments SET level_gain = NOT level_gain WHERE {M_ENROLMENT}"),
    # fct_events
    ("mart_fct_events", "event_date_not_future"): _mart("fct_events", M_EVENT, f"event_date = {FUTURE}"),
    ("mart_fct_events", "event_type_valid"): _mart("fct_events", M_EVENT, "event_type = 'party'"),
    ("mart_fct_events", "district_valid"): _mart("fct_events", M_EVENT, "district = 'CZ9999'"),
    ("mart_fct_events", "region_valid"): _mart("fct_events", M_EVENT, "region = 'CZ099'"),
    ("mart_fct_events", "in_centre_region_valid"): _mart("fct_events", M_EVENT, "in_centre_region = 'maybe'"),
    ("mart_fct_events", "participants_not_negative"):
        _mart("fct_events", M_EVENT, "participants = -1, participants_foreign = -1"),
    ("mart_fct_events", "foreign_within_participants"):
        _mart("fct_events", M_EVENT, "participants_foreign = participants + 1"),
    ("mart_fct_events", "event_type_present"): _mart("fct_events", M_EVENT, "event_type = NULL"),
    ("mart_fct_events", "event_date_present"): _mart("fct_events", M_EVENT, "event_date = NULL"),
    ("mart_fct_events", "district_present"): _mart("fct_events", M_EVENT, "district = NULL"),
    ("mart_fct_events", "audience_present"): _mart("fct_events", M_EVENT, "audience = NULL"),
    ("mart_fct_events", "participants_present"):
        _mart("fct_events", M_EVENT, "participants = NULL, participants_foreign = NULL"),
    ("mart_fct_events", "audience_valid"): _mart("fct_events", M_EVENT, "audience = 'aliens'"),
    # fct_event_participation
    ("mart_fct_event_participation", "event_type_valid"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_type = 'party'"),
    ("mart_fct_event_participation", "event_type_present"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_type = NULL"),
    ("mart_fct_event_participation", "event_date_present"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_date = NULL"),
    ("mart_fct_event_participation", "event_district_present"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_district = NULL"),
    ("mart_fct_event_participation", "event_district_valid"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_district = 'CZ9999'"),
    ("mart_fct_event_participation", "event_region_valid"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_region = 'CZ099'"),
    # fct_outcomes
    ("mart_fct_outcomes", "outcome_date_not_future"): _mart("fct_outcomes", M_OUTCOME, f"outcome_date = {FUTURE}"),
    ("mart_fct_outcomes", "outcome_valid"): _mart("fct_outcomes", M_OUTCOME, "outcome = 'lottery'"),
    ("mart_fct_outcomes", "outcome_date_present"): _mart("fct_outcomes", M_OUTCOME, "outcome_date = NULL"),
    ("mart_fct_outcomes", "outcome_present"): _mart("fct_outcomes", M_OUTCOME, "outcome = NULL"),
    ("mart_fct_outcomes", "verified_present"): _mart("fct_outcomes", M_OUTCOME, "verified = NULL"),
    ("mart_fct_outcomes", "days_from_registration_present"):
        _mart("fct_outcomes", M_OUTCOME, "days_from_registration = NULL"),
    # fct_activities
    ("mart_fct_activities", "activity_kind_valid"): _mart("fct_activities", M_ACTIVITY, "activity_kind = 'visit'"),
    ("mart_fct_activities", "active_from_present"): _mart("fct_activities", M_ACTIVITY, "active_from = NULL"),
    ("mart_fct_activities", "active_period_ordered"):
        _mart("fct_activities", M_ACTIVITY, "active_to = active_from - 1"),
    ("mart_fct_activities", "activity_kind_present"): _mart("fct_activities", M_ACTIVITY, "activity_kind = NULL"),
    ("mart_fct_activities", "service_present"): _mart("fct_activities", M_ACTIVITY, "service = NULL"),
    ("mart_fct_activities", "active_to_present"): _mart("fct_activities", M_ACTIVITY, "active_to = NULL"),
    ("mart_fct_activities", "clients_reached_within_registered"):
        _check("mart", f"UPDATE fct_activities SET centre = 'XYZ' WHERE {M_ACTIVITY}"),
    # identifiers
    ("mart_identifiers", "no_direct_identifiers"):
        _check("mart", f"UPDATE fct_contacts SET branch = 'jan.novak@example.cz' WHERE {M_CONTACT}"),
}

# The rules dbt owns (keys, uniqueness, relationships; docs/quality.md, "Who checks what"):
# one break of each kind of rule on every model that declares it, keyed by (model, column or columns,
# rule of the model's keys test: data_tests/generic/keys.sql). tests/warehouse/test_quality.py puts each
# into a copy of the clean build and runs `dbt test` on the model: the named rule must fail.
DBT_BREAKS: dict[tuple[str, str, str], Break] = {
    ("dim_client", "client_key", "unique"): _duplicate("dim_client", M_CLIENT),
    ("dim_client", "client_key", "not_null"): _mart("dim_client", M_CLIENT, "client_key = NULL"),
    ("dim_client", "client_key", "composed"): _mart("dim_client", M_CLIENT, "client_id = 'other01'"),
    ("dim_client", "centre", "relationships"): _mart("dim_client", M_CLIENT, "centre = 'XYZ'"),
    ("fct_contacts", "contact_key", "unique"): _duplicate("fct_contacts", M_CONTACT),
    ("fct_contacts", "contact_key", "not_null"): _mart("fct_contacts", M_CONTACT, "contact_key = NULL"),
    ("fct_contacts", "client_key", "not_null"): _mart("fct_contacts", M_CONTACT, "client_key = NULL"),
    ("fct_contacts", "client_key", "relationships"): _mart("fct_contacts", M_CONTACT, NOBODY),
    ("fct_course_enrolments", "enrolment_key", "unique"): _duplicate("fct_course_enrolments", M_ENROLMENT),
    ("fct_course_enrolments", "enrolment_key", "not_null"):
        _mart("fct_course_enrolments", M_ENROLMENT, "enrolment_key = NULL"),
    ("fct_course_enrolments", "client_key", "relationships"): _mart("fct_course_enrolments", M_ENROLMENT, NOBODY),
    ("fct_events", "event_key", "unique"): _duplicate("fct_events", M_EVENT),
    ("fct_events", "event_key", "not_null"): _mart("fct_events", M_EVENT, "event_key = NULL"),
    ("fct_event_participation", "participation_key", "unique"): _duplicate("fct_event_participation", M_PARTICIPANT),
    ("fct_event_participation", "client_key", "not_null"):
        _mart("fct_event_participation", M_PARTICIPANT, "client_key = NULL"),
    ("fct_event_participation", "client_key", "relationships"):
        _mart("fct_event_participation", M_PARTICIPANT, NOBODY),
    ("fct_event_participation", "centre, event_id", "relationships"):
        _mart("fct_event_participation", M_PARTICIPANT, "event_id = 'event-404'"),
    ("fct_outcomes", "outcome_key", "unique"): _duplicate("fct_outcomes", M_OUTCOME),
    ("fct_outcomes", "outcome_key", "not_null"): _mart("fct_outcomes", M_OUTCOME, "outcome_key = NULL"),
    ("fct_outcomes", "client_key", "relationships"): _mart("fct_outcomes", M_OUTCOME, NOBODY),
    ("fct_activities", "client_key", "relationships"): _mart("fct_activities", M_ACTIVITY, NOBODY),
    ("fct_activities", "service", "relationships"): _mart("fct_activities", M_ACTIVITY, "service = 'therapy'"),
    ("fct_activities", "activity_kind, centre, activity_id, client_key", "unique"):
        _duplicate("fct_activities", M_ACTIVITY),
}
