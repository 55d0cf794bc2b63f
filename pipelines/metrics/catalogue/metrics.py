"""Every metric, declared once: family, kind, SQL measure, names and definitions in Czech and English.

Adding a metric is one declaration here (plus its test): the SQL builder, `reach metrics`, the
dashboard, the reports and docs/metrics.md all read this tuple. Which dimensions apply follows
from the family (a dimension declares the families whose rows carry it).
"""

from __future__ import annotations

from pipelines.metrics.catalogue.model import Family, Kind, Metric

_IN_PERIOD = "registered_on BETWEEN $date_from AND $date_to"

METRICS: tuple[Metric, ...] = (
    Metric(
        "clients_reached", Family.ACTIVITIES, Kind.UNIQUE, "Oslovení klienti", "Clients reached",
        "Počet různých klientů s alespoň jednou aktivitou (kontakt, kurz, akce) v období.",
        "Distinct clients with at least one activity (contact, course, event) in the period.",
        measure="count(*)",  # over one row per (group, client)
    ),
    Metric(
        "new_clients", Family.ACTIVITIES, Kind.UNIQUE, "Noví klienti", "New clients",
        "Oslovení klienti, jejichž datum registrace leží v období.",
        "Clients reached whose registration date lies in the period.",
        measure=f"count(*) FILTER (WHERE {_IN_PERIOD})",
        # Per month, a new client is one reached in the month it registered (within the period).
        monthly_measure=f"count(*) FILTER (WHERE {_IN_PERIOD} AND date_trunc('month', registered_on) = month)",
    ),
    Metric(
        "contacts", Family.CONTACTS, Kind.COUNT, "Kontakty", "Contacts",
        "Počet individuálních kontaktů s datem v období.",
        "Number of individual service contacts dated in the period.",
        measure="count(*)",
    ),
    Metric(
        "service_hours", Family.CONTACTS, Kind.SUM, "Hodiny služeb", "Service hours",
        "Součet délek kontaktů v období v hodinách, na jedno desetinné místo.",
        "Sum of the durations of the period's contacts in hours, one decimal.",
        measure="round(coalesce(sum(duration_min), 0) / 60.0, 1)",
    ),
    Metric(
        "course_participants", Family.COURSES, Kind.UNIQUE, "Účastníci kurzů", "Course participants",
        "Počet různých klientů zapsaných do kurzu, který v období probíhá.",
        "Distinct clients enrolled in a course that runs during the period.",
        measure="count(DISTINCT client_key)",
    ),
    Metric(
        "course_completions", Family.COURSES, Kind.COUNT, "Dokončení kurzu", "Course completions",
        "Zápisy do kurzů probíhajících v období s příznakem dokončeno.",
        "Enrolments in the period's courses marked completed.",
        measure="count(*) FILTER (WHERE completed)",
    ),
    Metric(
        "level_gains", Family.COURSES, Kind.COUNT, "Zlepšení o úroveň", "Level gains",
        "Zápisy do kurzů v období, kde výstupní úroveň SERR je alespoň o stupeň vyšší než vstupní.",
        "Enrolments in the period's courses whose CEFR level out is at least one step above level in.",
        measure="count(*) FILTER (WHERE level_gain)",
    ),
    Metric(
        "event_attendance", Family.EVENTS, Kind.SUM, "Návštěvnost akcí", "Event attendance",
        "Součet počtů účastníků akcí konaných v období (nepřičítá se k osloveným klientům).",
        "Sum of head counts of events dated in the period (never added to clients reached).",
        measure="CAST(coalesce(sum(participants), 0) AS BIGINT)",
    ),
    Metric(
        "outcomes", Family.OUTCOMES, Kind.COUNT, "Výsledky", "Outcomes",
        "Počet integračních výsledků s datem v období.",
        "Number of integration outcomes dated in the period.",
        measure="count(*)",
    ),
    Metric(
        "clients_with_outcome", Family.OUTCOMES, Kind.UNIQUE, "Klienti s výsledkem", "Clients with an outcome",
        "Počet různých klientů s výsledkem s datem v období.",
        "Distinct clients with an outcome dated in the period.",
        measure="count(DISTINCT client_key)",
    ),
    # Extensions for the dashboard (docs/metrics.md marks them).
    Metric(
        "enrolments", Family.COURSES, Kind.COUNT, "Zápisy do kurzů", "Course enrolments",
        "Počet zápisů do kurzů probíhajících v období.",
        "Number of enrolments in courses that run during the period.",
        measure="count(*)", extension=True,
    ),
    Metric(
        "interpreted_contacts", Family.CONTACTS, Kind.COUNT, "Kontakty s tlumočením", "Interpreted contacts",
        "Kontakty v období, při kterých se tlumočilo.",
        "Contacts in the period with interpreting.",
        measure="count(*) FILTER (WHERE is_interpreted)", extension=True,
    ),
    Metric(
        "events", Family.EVENTS, Kind.COUNT, "Akce", "Events",
        "Počet akcí s datem v období.",
        "Number of events dated in the period.",
        measure="count(*)", extension=True,
    ),
    Metric(
        "event_participants_foreign", Family.EVENTS, Kind.SUM, "Cizinci na akcích", "Foreign participants at events",
        "Součet počtů cizinců mezi účastníky akcí v období.",
        "Sum of the foreign participants of the period's events.",
        measure="CAST(coalesce(sum(participants_foreign), 0) AS BIGINT)", extension=True,
    ),
    Metric(
        "reach_per_1000_foreign", Family.ACTIVITIES, Kind.RATE,
        "Oslovení na 1 000 cizinců", "Reach per 1,000 foreign residents",
        "Oslovení klienti s bydlištěm v okrese (nebo kraji) na 1 000 cizinců s pobytem tam, kde referenční "
        "data počet cizinců uvádějí (po okresech, jinak po krajích).",
        "Clients reached living in the district (or region) per 1,000 of its foreign residents, wherever the "
        "reference data give them (by district, else by region).",
        measure="CASE WHEN d.foreign_residents > 0 "
                "THEN round(g.clients_reached * 1000.0 / d.foreign_residents, 2) END",
        rests_on="clients_reached", extension=True, requires=("district", "region"),
    ),
    Metric(
        "clients_contacted", Family.CONTACTS, Kind.UNIQUE, "Klienti s kontaktem", "Clients contacted",
        "Počet různých klientů s alespoň jedním individuálním kontaktem v období.",
        "Distinct clients with at least one individual service contact in the period.",
        measure="count(DISTINCT client_key)", extension=True,
    ),
    Metric(
        "clients_with_level_gain", Family.COURSES, Kind.UNIQUE,
        "Klienti se zlepšením o úroveň", "Clients with a level gain",
        "Počet různých klientů, kteří se v kurzu probíhajícím v období zlepšili alespoň o jeden stupeň SERR.",
        "Distinct clients who improved by at least one CEFR level in a course that runs during the period.",
        measure="count(DISTINCT client_key) FILTER (WHERE level_gain)", extension=True,
    ),
    Metric(
        "median_days_to_outcome", Family.OUTCOMES, Kind.MEDIAN,
        "Medián dnů do výsledku", "Median days to outcome",
        "Medián počtu dní od registrace klienta do výsledku, u výsledků s datem v období.",
        "Median days from the client's registration to the outcome, for outcomes dated in the period.",
        measure="round(median(days), 1)", rests_on="clients_with_outcome", extension=True,
    ),
)
