"""Every dimension, declared once: names, definitions, where its value comes from, its values or bands.

The SQL builder, the query's validation, the dashboard's filters and labels, the reports and
docs/metrics.md read these. Enumerated codes come from the export contract (pipelines/contract.py),
districts and regions from the reference data (pipelines/reference), their labels from
pipelines/reference/labels.py.
"""

from __future__ import annotations

from collections.abc import Callable

from pipelines import contract
from pipelines.metrics.catalogue.model import UNKNOWN, Bands, Dimension, Family
from pipelines.reference.countries import STATELESS, countries
from pipelines.reference.districts import districts
from pipelines.reference.regions import regions

_ALL = tuple(Family)
_CLIENT_FACTS = (Family.ACTIVITIES, Family.CONTACTS, Family.COURSES, Family.OUTCOMES)

BOOLEAN_VALUES = ("true", "false", UNKNOWN)  # unknown: the export left the cell empty

AGE = Bands(edges=(0, 18, 30, 45, 65))  # age = year of the period's end minus birth year
ATTENDANCE = Bands(edges=(0, 25, 50, 75), top=100)  # attendance in %
DAYS_TO_OUTCOME = Bands(edges=(0, 31, 91, 181, 366), below_is_unknown=True)  # an outcome before registration


def _client(column: str) -> dict[Family, str]:
    """A client attribute from the client's current record (dim_client, alias c)."""
    return dict.fromkeys(_CLIENT_FACTS, f"coalesce(c.{column}, '{UNKNOWN}')")


def _fact(column: str, *families: Family, default: str = UNKNOWN) -> dict[Family, str]:
    return dict.fromkeys(families, f"coalesce(f.{column}, '{default}')")


def _boolean(column: str) -> str:
    return f"CASE WHEN f.{column} THEN 'true' WHEN NOT f.{column} THEN 'false' ELSE '{UNKNOWN}' END"


MONTH_CODE = "strftime({}, '%Y-%m')"  # a month (its first day) as the month dimension's code


def _month_of(day: str) -> str:
    """The month of a date, as its first day (the month dimension's grouped value)."""
    return f"date_trunc('month', {day})"


def _months_of_range(start: str, end: str) -> str:
    """Months a dated range touches within the period: a course counts in every month it runs. A range
    within one month (a contact's day, nearly every row) has its list made without a series."""
    first, last = _month_of(f"greatest({start}, $date_from)"), _month_of(f"least({end}, $date_to)")
    return (f"unnest(CASE WHEN {first} = {last} THEN [{first}]"
            f" ELSE generate_series({first}, {last}, INTERVAL 1 MONTH) END)")


def _listed(values: dict[str, str], *more: str) -> Callable[[], tuple[str, ...]]:
    """The codes of one of the contract's value lists (then `more`), in list order."""
    return lambda: tuple(dict.fromkeys([*values.values(), *more]))


def _fixed(*codes: str) -> Callable[[], tuple[str, ...]]:
    return lambda: codes


def _nationalities() -> tuple[str, ...]:
    return (*(c.alpha2 for c in countries()), STATELESS, UNKNOWN)


def _services() -> tuple[str, ...]:
    """Contact services, course types and `event_` + event type: what an activity's service can be."""
    events = (f"event_{code}" for code in dict.fromkeys(contract.EVENT_TYPE.values()))
    return tuple(dict.fromkeys([*contract.SERVICE.values(), *contract.COURSE_TYPE.values(), *events, UNKNOWN]))


def _districts() -> tuple[str, ...]:
    """The country's 77 districts (reference data), then unknown: where a client lives, whichever centre."""
    return (*(d.code for d in districts()), UNKNOWN)


def _regions() -> tuple[str, ...]:
    """The 14 regions (NUTS 3, seeds/ref_regions.csv), then unknown."""
    return (*(r.code for r in regions()), UNKNOWN)


IN_CENTRE_REGION = ("yes", "no", UNKNOWN)
_DISTRICT_LISTING = f"{_districts()[0]}…{_districts()[-2]}, {UNKNOWN}"
_REGION_LISTING = f"{_regions()[0]}…{_regions()[-2]}, {UNKNOWN}"

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "nationality", "Státní občanství", "Nationality",
        "Kód ISO 3166-1 alpha-2, stateless nebo unknown (z aktuálního záznamu klienta).",
        "ISO 3166-1 alpha-2 code, stateless or unknown (from the client's current record).",
        _client("nationality"), values=_nationalities, partitions_clients=True,
    ),
    Dimension(
        "district", "Okres", "District",
        f"Okres bydliště klienta kdekoli v Česku ({_DISTRICT_LISTING}); u akcí okres akce.",
        f"The district the client lives in, anywhere in Czechia ({_DISTRICT_LISTING}); for events the event's "
        "district.",
        {**_client("district"), **_fact("district", Family.EVENTS)}, values=_districts, partitions_clients=True,
    ),
    Dimension(
        "region", "Kraj", "Region",
        f"Kraj bydliště klienta, kód NUTS 3 ({_REGION_LISTING}); u akcí kraj okresu akce.",
        f"The region the client lives in, NUTS 3 code ({_REGION_LISTING}); for events the region of the "
        "event's district.",
        {**_client("region"), **_fact("region", Family.EVENTS)}, values=_regions, partitions_clients=True,
    ),
    Dimension(
        "in_centre_region", "V kraji centra", "In the centre's region",
        "Zda klient bydlí v kraji centra, které mu službu poskytlo (kraj centra z referenčních dat): "
        "yes, no, unknown; u akcí zda se akce konala v kraji centra.",
        "Whether the client lives in the region of the centre that served them (the centre's region from the "
        "reference data): yes, no, unknown; for events whether the event was held in the centre's region.",
        {**_client("in_centre_region"), **_fact("in_centre_region", Family.EVENTS)},
        values=_fixed(*IN_CENTRE_REGION), partitions_clients=True,
    ),
    Dimension(
        "target_group", "Cílová skupina", "Target group",
        "Kód seznamu T (odvozený, pokud jej export neuvádí).",
        "Code of list T (derived where the export leaves it empty).",
        _client("target_group"), values=_listed(contract.TARGET_GROUP, UNKNOWN), partitions_clients=True,
    ),
    Dimension(
        "sex", "Pohlaví", "Sex",
        ", ".join(_listed(contract.SEX, UNKNOWN)()) + ".", ", ".join(_listed(contract.SEX, UNKNOWN)()) + ".",
        _client("sex"), values=_listed(contract.SEX, UNKNOWN), partitions_clients=True,
    ),
    Dimension(
        "age_band", "Věková skupina", "Age band",
        f"Věk = rok konce období minus rok narození: {AGE.listing}.",
        f"Age = year of the period's end minus birth year: {AGE.listing}.",
        dict.fromkeys(_CLIENT_FACTS, "$to_year - c.birth_year"), bands=AGE, partitions_clients=True,
    ),
    Dimension(
        "residence_status", "Pobytový status", "Residence status", "Kód seznamu R.", "Code of list R.",
        _client("residence_status"), values=_listed(contract.RESIDENCE_STATUS, UNKNOWN), partitions_clients=True,
    ),
    Dimension(
        "service", "Služba", "Service",
        "Kód služby aktivity; kurz = typ kurzu, akce = event_ + typ akce. Klient se počítá v každé službě.",
        "The activity's service code; course = course type, event = event_ + event type. "
        "A client counts once in each service used.",
        {Family.ACTIVITIES: "f.service", Family.CONTACTS: "f.service", Family.COURSES: "f.course_type",
         Family.EVENTS: "'event_' || f.event_type"},
        values=_services,
    ),
    Dimension(
        "outcome", "Výsledek", "Outcome", "Kód výsledku (seznam V).", "Outcome code (list V).",
        {Family.OUTCOMES: "f.outcome"}, values=_listed(contract.OUTCOME, UNKNOWN),
    ),
    Dimension(
        "month", "Měsíc", "Month",
        "YYYY-MM aktivity; kurz se počítá v každém měsíci, kdy v období probíhá.",
        "YYYY-MM of the activity; a course counts in every month it runs within the period.",
        {Family.ACTIVITIES: _months_of_range("f.active_from", "f.active_to"),
         Family.CONTACTS: _month_of("f.contact_date"),
         Family.COURSES: _months_of_range("f.starts_on", "f.course_active_to"),
         Family.EVENTS: _month_of("f.event_date"),
         Family.OUTCOMES: _month_of("f.outcome_date")},
        written=MONTH_CODE,
    ),
    Dimension(
        "centre", "Centrum", "Centre", "Kód centra zadaný při načtení.", "Centre code given at load.",
        dict.fromkeys(_ALL, "f.centre"), partitions_clients=True,
    ),
    # Extensions for the dashboard.
    Dimension(
        "topic", "Oblast", "Topic", "Oblast kontaktu (seznam O).", "The contact's topic (list O).",
        _fact("topic", Family.CONTACTS), values=_listed(contract.TOPIC, UNKNOWN), extension=True,
    ),
    Dimension(
        "mode", "Forma", "Mode", "Forma kontaktu.", "The contact's mode.",
        _fact("mode", Family.CONTACTS), values=_listed(contract.MODE, UNKNOWN), extension=True,
    ),
    Dimension(
        "branch", "Pracoviště", "Branch", "Pracoviště kontaktu nebo kurzu.", "Branch of the contact or course.",
        _fact("branch", Family.CONTACTS, Family.COURSES), extension=True,
    ),
    Dimension(
        "interpreted", "Tlumočení", "Interpreted", "Zda se při kontaktu tlumočilo: true/false.",
        "Whether the contact was interpreted: true/false.",
        {Family.CONTACTS: _boolean("interpreted")}, values=_fixed(*BOOLEAN_VALUES), extension=True,
    ),
    Dimension(
        "course_type", "Typ kurzu", "Course type", "Typ kurzu.", "Course type.",
        {Family.COURSES: "f.course_type"}, values=_listed(contract.COURSE_TYPE, UNKNOWN), extension=True,
    ),
    Dimension(
        "level_in", "Vstupní úroveň", "Entry level", "Vstupní úroveň SERR nebo unknown.", "CEFR level in, or unknown.",
        _fact("level_in", Family.COURSES), values=_fixed(*contract.CEFR_LEVELS, UNKNOWN), extension=True,
    ),
    Dimension(
        "level_out", "Výstupní úroveň", "Exit level", "Výstupní úroveň SERR nebo unknown.",
        "CEFR level out, or unknown.",
        _fact("level_out", Family.COURSES), values=_fixed(*contract.CEFR_LEVELS, UNKNOWN), extension=True,
    ),
    Dimension(
        "exam", "Zkouška", "Exam",
        ", ".join(_listed(contract.EXAM)()) + ".", ", ".join(_listed(contract.EXAM)()) + ".",
        _fact("exam", Family.COURSES, default="not_taken"), values=_listed(contract.EXAM), extension=True,
    ),
    Dimension(
        "attendance_band", "Docházka", "Attendance",
        f"Docházka v %: {ATTENDANCE.listing}.", f"Attendance %: {ATTENDANCE.listing}.",
        {Family.COURSES: "f.attendance_pct"}, bands=ATTENDANCE, extension=True,
    ),
    Dimension(
        "event_type", "Typ akce", "Event type", "Typ akce (seznam E).", "Event type (list E).",
        {Family.EVENTS: "f.event_type"}, values=_listed(contract.EVENT_TYPE, UNKNOWN), extension=True,
    ),
    Dimension(
        "audience", "Cílové publikum", "Audience", "Cílové publikum akce.", "The event's audience.",
        _fact("audience", Family.EVENTS), values=_listed(contract.AUDIENCE, UNKNOWN), extension=True,
    ),
    Dimension(
        "verified", "Ověřeno", "Verified", "Zda byl výsledek ověřen v dokladu: true/false.",
        "Whether the outcome was seen in a document: true/false.",
        {Family.OUTCOMES: _boolean("verified")}, values=_fixed(*BOOLEAN_VALUES), extension=True,
    ),
    Dimension(
        "days_to_outcome_band", "Dny do výsledku", "Days to outcome",
        f"Dní od registrace do výsledku: {DAYS_TO_OUTCOME.listing}.",
        f"Days from registration to the outcome: {DAYS_TO_OUTCOME.listing}.",
        {Family.OUTCOMES: "f.days_from_registration"}, bands=DAYS_TO_OUTCOME, extension=True,
    ),
)
