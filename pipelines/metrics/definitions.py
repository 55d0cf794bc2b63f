"""Every metric and dimension as data: names, families, bilingual definitions, applicability.

One source for the SQL builder (which family computes a metric, which dimensions apply),
docs/metrics.md and the dashboard's Definitions page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    """Metrics computed by one SQL over one fact table."""

    ACTIVITIES = "activities"  # fct_activities (contacts, course enrolments, event participations)
    CONTACTS = "contacts"  # fct_contacts
    COURSES = "courses"  # fct_course_enrolments
    EVENTS = "events"  # fct_events
    OUTCOMES = "outcomes"  # fct_outcomes


class Kind(StrEnum):
    UNIQUE = "unique"  # distinct people: never summed, suppressed when 1-4
    COUNT = "count"  # number of records: additive
    SUM = "sum"  # additive sum (hours, head counts)
    MEDIAN = "median"  # median of a record value
    RATE = "rate"  # derived from a unique count: hidden with it


@dataclass(frozen=True)
class Metric:
    name: str
    family: Family
    kind: Kind
    label_cs: str
    label_en: str
    definition_cs: str
    definition_en: str
    extension: bool = False  # not in metrics.md; added for the dashboard (docs/metrics.md)
    requires: tuple[str, ...] = ()  # dimensions that must be in `by`

    @property
    def is_unique_people(self) -> bool:
        return self.kind is Kind.UNIQUE


@dataclass(frozen=True)
class Dimension:
    name: str
    label_cs: str
    label_en: str
    definition_cs: str
    definition_en: str
    families: frozenset[Family]
    partitions_clients: bool = False  # each client has exactly one value (secondary suppression)
    extension: bool = False


_ALL = frozenset(Family)
_CLIENT_FACTS = frozenset({Family.ACTIVITIES, Family.CONTACTS, Family.COURSES, Family.OUTCOMES})

METRICS: tuple[Metric, ...] = (
    Metric(
        "clients_reached", Family.ACTIVITIES, Kind.UNIQUE, "Oslovení klienti", "Clients reached",
        "Počet různých klientů s alespoň jednou aktivitou (kontakt, kurz, akce) v období.",
        "Distinct clients with at least one activity (contact, course, event) in the period.",
    ),
    Metric(
        "new_clients", Family.ACTIVITIES, Kind.UNIQUE, "Noví klienti", "New clients",
        "Oslovení klienti, jejichž datum registrace leží v období.",
        "Clients reached whose registration date lies in the period.",
    ),
    Metric(
        "contacts", Family.CONTACTS, Kind.COUNT, "Kontakty", "Contacts",
        "Počet individuálních kontaktů s datem v období.",
        "Number of individual service contacts dated in the period.",
    ),
    Metric(
        "service_hours", Family.CONTACTS, Kind.SUM, "Hodiny služeb", "Service hours",
        "Součet délek kontaktů v období v hodinách, na jedno desetinné místo.",
        "Sum of the durations of the period's contacts in hours, one decimal.",
    ),
    Metric(
        "course_participants", Family.COURSES, Kind.UNIQUE, "Účastníci kurzů", "Course participants",
        "Počet různých klientů zapsaných do kurzu, který v období probíhá.",
        "Distinct clients enrolled in a course that runs during the period.",
    ),
    Metric(
        "course_completions", Family.COURSES, Kind.COUNT, "Dokončené kurzy", "Course completions",
        "Zápisy do kurzů probíhajících v období s příznakem dokončeno.",
        "Enrolments in the period's courses marked completed.",
    ),
    Metric(
        "level_gains", Family.COURSES, Kind.COUNT, "Zlepšení o úroveň", "Level gains",
        "Zápisy do kurzů v období, kde výstupní úroveň SERR je alespoň o stupeň vyšší než vstupní.",
        "Enrolments in the period's courses whose CEFR level out is at least one step above level in.",
    ),
    Metric(
        "event_attendance", Family.EVENTS, Kind.SUM, "Návštěvnost akcí", "Event attendance",
        "Součet počtů účastníků akcí konaných v období (nepřičítá se k osloveným klientům).",
        "Sum of head counts of events dated in the period (never added to clients reached).",
    ),
    Metric(
        "outcomes", Family.OUTCOMES, Kind.COUNT, "Výsledky", "Outcomes",
        "Počet integračních výsledků s datem v období.",
        "Number of integration outcomes dated in the period.",
    ),
    Metric(
        "clients_with_outcome", Family.OUTCOMES, Kind.UNIQUE, "Klienti s výsledkem", "Clients with an outcome",
        "Počet různých klientů s výsledkem s datem v období.",
        "Distinct clients with an outcome dated in the period.",
    ),
    # Extensions for the dashboard (docs/metrics.md, section Extensions).
    Metric(
        "enrolments", Family.COURSES, Kind.COUNT, "Zápisy do kurzů", "Enrolments",
        "Počet zápisů do kurzů probíhajících v období.",
        "Number of enrolments in courses that run during the period.",
        extension=True,
    ),
    Metric(
        "interpreted_contacts", Family.CONTACTS, Kind.COUNT, "Kontakty s tlumočením", "Interpreted contacts",
        "Kontakty v období, při kterých se tlumočilo.",
        "Contacts in the period with interpreting.",
        extension=True,
    ),
    Metric(
        "events", Family.EVENTS, Kind.COUNT, "Akce", "Events",
        "Počet akcí s datem v období.",
        "Number of events dated in the period.",
        extension=True,
    ),
    Metric(
        "event_participants_foreign", Family.EVENTS, Kind.SUM, "Cizinci na akcích", "Foreign event participants",
        "Součet počtů cizinců mezi účastníky akcí v období.",
        "Sum of the foreign participants of the period's events.",
        extension=True,
    ),
    Metric(
        "reach_per_1000_foreign", Family.ACTIVITIES, Kind.RATE,
        "Oslovení na 1 000 cizinců", "Reach per 1,000 foreign residents",
        "Oslovení klienti okresu na 1 000 cizinců s pobytem v okrese (jen okresy Ústeckého kraje).",
        "Clients reached per 1,000 foreign residents of their district (Ústí Region districts only).",
        extension=True,
        requires=("district",),
    ),
    Metric(
        "clients_contacted", Family.CONTACTS, Kind.UNIQUE, "Klienti s kontaktem", "Clients contacted",
        "Počet různých klientů s alespoň jedním individuálním kontaktem v období.",
        "Distinct clients with at least one individual service contact in the period.",
        extension=True,
    ),
    Metric(
        "clients_with_level_gain", Family.COURSES, Kind.UNIQUE,
        "Klienti se zlepšením o úroveň", "Clients with a level gain",
        "Počet různých klientů, kteří se v kurzu probíhajícím v období zlepšili alespoň o jeden stupeň SERR.",
        "Distinct clients who improved by at least one CEFR level in a course that runs during the period.",
        extension=True,
    ),
    Metric(
        "median_days_to_outcome", Family.OUTCOMES, Kind.MEDIAN,
        "Medián dní do výsledku", "Median days to outcome",
        "Medián počtu dní od registrace klienta do výsledku, u výsledků s datem v období.",
        "Median days from the client's registration to the outcome, for outcomes dated in the period.",
        extension=True,
    ),
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "nationality", "Státní občanství", "Nationality",
        "Kód ISO 3166-1 alpha-2, stateless nebo unknown (z aktuálního záznamu klienta).",
        "ISO 3166-1 alpha-2 code, stateless or unknown (from the client's current record).",
        _CLIENT_FACTS, partitions_clients=True,
    ),
    Dimension(
        "district", "Okres", "District",
        "Okres bydliště klienta (CZ0421…CZ0427, outside_region, unknown); u akcí okres akce.",
        "The client's district (CZ0421…CZ0427, outside_region, unknown); for events the event's district.",
        _CLIENT_FACTS | {Family.EVENTS}, partitions_clients=True,
    ),
    Dimension(
        "target_group", "Cílová skupina", "Target group",
        "Kód seznamu T (odvozený, pokud jej export neuvádí).",
        "Code of list T (derived where the export leaves it empty).",
        _CLIENT_FACTS, partitions_clients=True,
    ),
    Dimension(
        "sex", "Pohlaví", "Sex", "male, female, other, unknown.", "male, female, other, unknown.",
        _CLIENT_FACTS, partitions_clients=True,
    ),
    Dimension(
        "age_band", "Věková skupina", "Age band",
        "Věk = rok konce období minus rok narození: 0-17, 18-29, 30-44, 45-64, 65+, unknown.",
        "Age = year of the period's end minus birth year: 0-17, 18-29, 30-44, 45-64, 65+, unknown.",
        _CLIENT_FACTS, partitions_clients=True,
    ),
    Dimension(
        "residence_status", "Pobytový status", "Residence status", "Kód seznamu R.", "Code of list R.",
        _CLIENT_FACTS, partitions_clients=True,
    ),
    Dimension(
        "service", "Služba", "Service",
        "Kód služby aktivity; kurz = typ kurzu, akce = event_ + typ akce. Klient se počítá v každé službě.",
        "The activity's service code; course = course type, event = event_ + event type. "
        "A client counts once in each service used.",
        frozenset({Family.ACTIVITIES, Family.CONTACTS, Family.COURSES, Family.EVENTS}),
    ),
    Dimension(
        "outcome", "Výsledek", "Outcome", "Kód výsledku (seznam V).", "Outcome code (list V).",
        frozenset({Family.OUTCOMES}),
    ),
    Dimension(
        "month", "Měsíc", "Month",
        "YYYY-MM aktivity; kurz se počítá v každém měsíci, kdy v období probíhá.",
        "YYYY-MM of the activity; a course counts in every month it runs within the period.",
        _ALL,
    ),
    Dimension(
        "centre", "Centrum", "Centre", "Kód centra zadaný při načtení.", "Centre code given at load.",
        _ALL, partitions_clients=True,
    ),
    # Extensions for the dashboard.
    Dimension(
        "topic", "Oblast", "Topic", "Oblast kontaktu (seznam O).", "The contact's topic (list O).",
        frozenset({Family.CONTACTS}), extension=True,
    ),
    Dimension(
        "mode", "Forma", "Mode", "Forma kontaktu.", "The contact's mode.",
        frozenset({Family.CONTACTS}), extension=True,
    ),
    Dimension(
        "branch", "Pracoviště", "Branch", "Pracoviště kontaktu nebo kurzu.", "Branch of the contact or course.",
        frozenset({Family.CONTACTS, Family.COURSES}), extension=True,
    ),
    Dimension(
        "interpreted", "Tlumočení", "Interpreted", "Zda se při kontaktu tlumočilo: true/false.",
        "Whether the contact was interpreted: true/false.",
        frozenset({Family.CONTACTS}), extension=True,
    ),
    Dimension(
        "course_type", "Typ kurzu", "Course type", "Typ kurzu.", "Course type.",
        frozenset({Family.COURSES}), extension=True,
    ),
    Dimension(
        "level_in", "Vstupní úroveň", "Level in", "Vstupní úroveň SERR nebo unknown.", "CEFR level in, or unknown.",
        frozenset({Family.COURSES}), extension=True,
    ),
    Dimension(
        "level_out", "Výstupní úroveň", "Level out", "Výstupní úroveň SERR nebo unknown.",
        "CEFR level out, or unknown.",
        frozenset({Family.COURSES}), extension=True,
    ),
    Dimension(
        "exam", "Zkouška", "Exam", "passed, failed, not_taken.", "passed, failed, not_taken.",
        frozenset({Family.COURSES}), extension=True,
    ),
    Dimension(
        "attendance_band", "Docházka", "Attendance band",
        "Docházka v %: 0-24, 25-49, 50-74, 75-100, unknown.", "Attendance %: 0-24, 25-49, 50-74, 75-100, unknown.",
        frozenset({Family.COURSES}), extension=True,
    ),
    Dimension(
        "event_type", "Typ akce", "Event type", "Typ akce (seznam E).", "Event type (list E).",
        frozenset({Family.EVENTS}), extension=True,
    ),
    Dimension(
        "audience", "Cílové publikum", "Audience", "Cílové publikum akce.", "The event's audience.",
        frozenset({Family.EVENTS}), extension=True,
    ),
    Dimension(
        "verified", "Ověřeno", "Verified", "Zda byl výsledek ověřen v dokladu: true/false.",
        "Whether the outcome was seen in a document: true/false.",
        frozenset({Family.OUTCOMES}), extension=True,
    ),
    Dimension(
        "days_to_outcome_band", "Dní do výsledku", "Days to outcome",
        "Dní od registrace do výsledku: 0-30, 31-90, 91-180, 181-365, 366+, unknown.",
        "Days from registration to the outcome: 0-30, 31-90, 91-180, 181-365, 366+, unknown.",
        frozenset({Family.OUTCOMES}), extension=True,
    ),
)

METRICS_BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
DIMENSIONS_BY_NAME: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}
UNIQUE_PEOPLE_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.is_unique_people)

AGE_BANDS = ("0-17", "18-29", "30-44", "45-64", "65+", "unknown")
ATTENDANCE_BANDS = ("0-24", "25-49", "50-74", "75-100", "unknown")
DAYS_TO_OUTCOME_BANDS = ("0-30", "31-90", "91-180", "181-365", "366+", "unknown")


def applies(metric: Metric, dimension: str) -> bool:
    return metric.family in DIMENSIONS_BY_NAME[dimension].families
