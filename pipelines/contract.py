"""The operational export format (../shared/spec/export-format.md) as data.

One place describes every file, column, type and value list of the input contract. The
sample generator writes from it, the loader parses with it, the raw-layer DDL is derived
from it, and the quality suites read their enumerations from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class ColumnType(StrEnum):
    CLIENT_ID = "client_id"  # pseudonymous ID: 6-64 chars of A-Z a-z 0-9 _ -
    KEY = "key"  # a record ID (free text, non-empty)
    TEXT = "text"  # free text, kept as given
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    ENUM = "enum"  # value list; see Column.values
    COUNTRY = "country"  # -> ISO 3166-1 alpha-2, "stateless" or "unknown"
    DISTRICT = "district"  # -> district code CZxxxx or "unknown"
    LINKAGE_KEY = "linkage_key"  # 64 hex chars (national linkage pseudonym); malformed -> empty, reported


UNKNOWN = "unknown"

# Value lists. Keys are the Czech labels (and documented aliases) as a human writes them;
# matching ignores case, surrounding whitespace and diacritics (see normalise.fold_value).
SEX = {
    "muž": "male", "m": "male",
    "žena": "female", "ž": "female", "f": "female",
    "jiné": "other", "x": "other",
    "neuvedeno": UNKNOWN,
}
RESIDENCE_STATUS = {
    "trvalý pobyt": "permanent",
    "dlouhodobý pobyt": "long_term",
    "dlouhodobé vízum": "long_term_visa",
    "dočasná ochrana": "temporary_protection",
    "azyl": "asylum",
    "doplňková ochrana": "subsidiary_protection",
    "přechodný pobyt": "eu_temporary",
    "žadatel o mezinárodní ochranu": "asylum_seeker",
    "jiný": "other",
    "neuvedeno": UNKNOWN,
}
TARGET_GROUP = {
    "cizinec ze třetí země": "third_country_national",
    "občan ukrajiny": "ukrainian",
    "držitel mezinárodní ochrany": "international_protection",
    "majoritní společnost": "majority_society",
    "občan eu": "eu_citizen",
    "veřejná správa": "public_administration",
    "odborná veřejnost": "professionals",
}
SERVICE = {
    "sociální poradenství": "social_counselling",
    "právní poradenství": "legal_counselling",
    "informační centrum": "information_centre",
    "terénní práce": "field_work",
    "integrační aktivita": "integration_activity",
    "tlumočení": "interpreting",
}
TOPIC = {
    "pobyt": "residence",
    "zaměstnání": "employment",
    "bydlení": "housing",
    "zdravotní péče": "health",
    "vzdělávání": "education",
    "sociální dávky": "social_benefits",
    "rodina": "family",
    "úřady": "authorities",
    "jiné": "other",
}
MODE = {
    "osobně": "in_person",
    "telefonicky": "phone",
    "online": "online",
    "terénně": "field",
}
COURSE_TYPE = {
    "čeština a1": "czech_a1",
    "čeština a2": "czech_a2",
    "čeština b1": "czech_b1",
    "sociokulturní orientace": "sociocultural_orientation",
}
CEFR_LEVELS = ["pre-A1", "A1", "A2", "B1", "B2", "C1", "C2"]
CEFR = {level.lower(): level for level in CEFR_LEVELS}
EXAM = {
    "složena": "passed",
    "nesložena": "failed",
    "nekonána": "not_taken",
}
EVENT_TYPE = {
    "přednáška pro cizince": "lecture_foreigners",
    "přednáška pro veřejnost": "lecture_public",
    "integrační aktivita": "integration_activity",
    "vzdělávací akce": "educational",
    "multikulturní akce": "multicultural",
    "platforma integrace": "integration_platform",
    "informační kampaň": "information_campaign",
}
AUDIENCE = {
    "cizinci": "foreigners",
    "veřejnost": "public",
    "veřejná správa": "public_administration",
    "odborníci": "professionals",
    "smíšené": "mixed",
}
OUTCOME = {
    "pobytové oprávnění uděleno": "residence_permit_granted",
    "pobytové oprávnění prodlouženo": "residence_permit_extended",
    "žádost o trvalý pobyt podána": "permanent_residence_applied",
    "trvalý pobyt získán": "permanent_residence_granted",
    "zaměstnání získáno": "employment_found",
    "bydlení zajištěno": "housing_secured",
    "dítě zapsáno do školy": "child_enrolled_school",
    "zdravotní pojištění vyřešeno": "health_insurance_arranged",
    "žádost o uznání kvalifikace podána": "qualification_recognition_applied",
    "zkouška z čj složena": "czech_exam_passed",
    "služba pomohla k integraci": "reported_helpful",
}
# Dates a delivery may hold; a date outside them quarantines its row at load (docs/loading.md).
# No centre's case system holds records from before 2000, and a date that records something
# done (a contact, a registration, an outcome) cannot lie after the day it is loaded: the
# export format gives a delivery no date of its own, so the load's day stands in for it.
# Planned dates (a course's start and end) may lie up to PLANNED_DAYS_AHEAD later.
EARLIEST_DATE = date(2000, 1, 1)
PLANNED_DAYS_AHEAD = 3 * 366
BOOLEAN_TRUE = {"ano", "a", "1", "true"}
BOOLEAN_FALSE = {"ne", "n", "0", "false"}


@dataclass(frozen=True)
class Column:
    header: str  # Czech header as the case system writes it
    name: str  # canonical warehouse name
    type: ColumnType
    required: bool = False  # the header must be present; a row with an empty value is quarantined
    key: bool = False  # part of the record's identity
    values: dict[str, str] | None = None  # ENUM: folded label -> code
    empty_value: str | None = None  # ENUM/COUNTRY/DISTRICT: code used when the cell is empty
    min_value: float | None = None
    max_value: float | None = None
    references_client: bool = False  # names a client of the same centre
    days_ahead: int = 0  # DATE: how many days after the day of loading it may lie (see EARLIEST_DATE)

    @property
    def codes(self) -> list[str]:
        """Canonical codes this column can hold (ENUM only), in list order, without duplicates."""
        assert self.values is not None
        return list(dict.fromkeys(self.values.values()))


@dataclass(frozen=True)
class ExportFile:
    name: str  # file stem, e.g. "klienti"
    table: str  # raw table name (English)
    columns: tuple[Column, ...]
    description: str = ""
    checks: tuple[str, ...] = field(default=())  # cross-column rules, see loader

    @property
    def key_columns(self) -> list[Column]:
        return [c for c in self.columns if c.key]

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


DELETED = Column("Smazáno", "deleted", ColumnType.BOOLEAN)
T = ColumnType

CLIENTS = ExportFile(
    "klienti", "clients",
    (
        Column("ID klienta", "client_id", T.CLIENT_ID, required=True, key=True),
        Column("Pohlaví", "sex", T.ENUM, values=SEX, empty_value=UNKNOWN),
        Column("Rok narození", "birth_year", T.INTEGER, min_value=1900),  # max: current year
        Column("Státní občanství", "citizenship", T.COUNTRY, required=True),
        Column("Pobytový status", "residence_status", T.ENUM, values=RESIDENCE_STATUS,
               empty_value=UNKNOWN),
        Column("Okres bydliště", "district", T.DISTRICT, empty_value=UNKNOWN),
        Column("Obec bydliště", "municipality", T.TEXT),
        Column("Datum registrace", "registered_on", T.DATE, required=True),
        # Empty -> NULL here; the warehouse derives it from citizenship and status.
        Column("Cílová skupina", "target_group", T.ENUM, values=TARGET_GROUP),
        # Optional: HMAC-SHA256 under a national key of normalised name, birth date and
        # nationality (reach pseudonymise --linkage-key-file; docs/raw-export.md).
        Column("Národní klíč", "linkage_key", T.LINKAGE_KEY),
        DELETED,
    ),
    "clients",
)
CONTACTS = ExportFile(
    "kontakty", "contacts",
    (
        Column("ID kontaktu", "contact_id", T.KEY, required=True, key=True),
        Column("ID klienta", "client_id", T.CLIENT_ID, required=True, references_client=True),
        Column("Datum", "contact_date", T.DATE, required=True),
        Column("Služba", "service", T.ENUM, required=True, values=SERVICE),
        Column("Oblast", "topic", T.ENUM, values=TOPIC),
        Column("Forma", "mode", T.ENUM, values=MODE),
        Column("Délka (min)", "duration_min", T.INTEGER, min_value=1, max_value=600),
        Column("Pracoviště", "branch", T.TEXT),
        Column("Tlumočení", "interpreted", T.BOOLEAN),
        DELETED,
    ),
    "individual service contacts (interventions)",
)
COURSES = ExportFile(
    "kurzy", "courses",
    (
        Column("ID kurzu", "course_id", T.KEY, required=True, key=True),
        Column("Typ kurzu", "course_type", T.ENUM, required=True, values=COURSE_TYPE),
        Column("Začátek", "starts_on", T.DATE, required=True, days_ahead=PLANNED_DAYS_AHEAD),
        Column("Konec", "ends_on", T.DATE, days_ahead=PLANNED_DAYS_AHEAD),
        Column("Pracoviště", "branch", T.TEXT),
        Column("Počet hodin", "planned_hours", T.INTEGER, min_value=0),
        DELETED,
    ),
    "courses",
    checks=("ends_on >= starts_on",),
)
ENROLMENTS = ExportFile(
    "ucastnici_kurzu", "course_enrolments",
    (
        Column("ID kurzu", "course_id", T.KEY, required=True, key=True),
        Column("ID klienta", "client_id", T.CLIENT_ID, required=True, key=True,
               references_client=True),
        Column("Datum zápisu", "enrolled_on", T.DATE),
        Column("Docházka (%)", "attendance_pct", T.DECIMAL, min_value=0, max_value=100),
        Column("Vstupní úroveň", "level_in", T.ENUM, values=CEFR),
        Column("Výstupní úroveň", "level_out", T.ENUM, values=CEFR),
        Column("Dokončeno", "completed", T.BOOLEAN),
        Column("Zkouška", "exam", T.ENUM, values=EXAM, empty_value="not_taken"),
        DELETED,
    ),
    "course enrolments",
)
EVENTS = ExportFile(
    "akce", "events",
    (
        Column("ID akce", "event_id", T.KEY, required=True, key=True),
        Column("Typ akce", "event_type", T.ENUM, required=True, values=EVENT_TYPE),
        Column("Datum", "event_date", T.DATE, required=True),
        Column("Okres", "district", T.DISTRICT, empty_value=UNKNOWN),
        Column("Cílové publikum", "audience", T.ENUM, values=AUDIENCE),
        Column("Počet účastníků", "participants", T.INTEGER, required=True, min_value=0),
        Column("z toho cizinců", "participants_foreign", T.INTEGER, min_value=0),
        DELETED,
    ),
    "group activities and events",
    checks=("participants_foreign <= participants",),
)
EVENT_PARTICIPANTS = ExportFile(
    "ucastnici_akci", "event_participants",
    (
        Column("ID akce", "event_id", T.KEY, required=True, key=True),
        Column("ID klienta", "client_id", T.CLIENT_ID, required=True, key=True,
               references_client=True),
        DELETED,
    ),
    "registered clients at events",
)
OUTCOMES = ExportFile(
    "vysledky", "outcomes",
    (
        Column("ID výsledku", "outcome_id", T.KEY, required=True, key=True),
        Column("ID klienta", "client_id", T.CLIENT_ID, required=True, references_client=True),
        Column("Datum", "outcome_date", T.DATE, required=True),
        Column("Výsledek", "outcome", T.ENUM, required=True, values=OUTCOME),
        Column("Ověřeno", "verified", T.BOOLEAN),
        DELETED,
    ),
    "integration outcomes",
)

FILES: tuple[ExportFile, ...] = (
    CLIENTS, CONTACTS, COURSES, ENROLMENTS, EVENTS, EVENT_PARTICIPANTS, OUTCOMES,
)
FILES_BY_NAME = {f.name: f for f in FILES}

DEFAULT_CENTRE = "ULK"
CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{6,64}$"
LINKAGE_KEY_PATTERN = r"^[0-9a-fA-F]{64}$"  # stored in lower case

# Centres, regions and districts are reference data (seeds/ref_centres.csv, ref_regions.csv,
# ref_districts.csv; pipelines/reference), not part of the export format.
