"""Names of metrics and dimensions and labels of their codes, in Czech (default) and English.

The one place the dashboard, the chart library and the reports take these names from.
"""

from __future__ import annotations

from pipelines.reference.labels import catalogue, label

LANGS = ("cs", "en")
DEFAULT_LANG = "cs"

# Short names of metrics for axes, cards and legends: (Czech, English).
METRIC_NAMES: dict[str, tuple[str, str]] = {
    "clients_reached": ("Oslovení klienti", "Clients reached"),
    "new_clients": ("Noví klienti", "New clients"),
    "contacts": ("Kontakty", "Contacts"),
    "service_hours": ("Hodiny služeb", "Service hours"),
    "course_participants": ("Účastníci kurzů", "Course participants"),
    "course_completions": ("Dokončení kurzu", "Course completions"),
    "level_gains": ("Zlepšení úrovně", "Level gains"),
    "event_attendance": ("Účast na akcích", "Event attendance"),
    "outcomes": ("Výsledky", "Outcomes"),
    "clients_with_outcome": ("Klienti s výsledkem", "Clients with an outcome"),
    "enrolments": ("Zápisy do kurzů", "Course enrolments"),
    "interpreted_contacts": ("Tlumočené kontakty", "Interpreted contacts"),
    "events": ("Akce", "Events"),
    "event_participants_foreign": ("Cizinci na akcích", "Foreign participants at events"),
    "reach_per_1000_foreign": ("Oslovení na 1 000 cizinců", "Reach per 1,000 foreign residents"),
    "median_days_to_outcome": ("Medián dnů do výsledku", "Median days to outcome"),
    "delivery_contacts": ("Kontakty v dodávkách", "Contacts delivered"),
}

DIMENSION_NAMES: dict[str, tuple[str, str]] = {
    "nationality": ("Státní příslušnost", "Nationality"),
    "district": ("Okres", "District"),
    "target_group": ("Cílová skupina", "Target group"),
    "sex": ("Pohlaví", "Sex"),
    "age_band": ("Věková skupina", "Age band"),
    "residence_status": ("Pobytový status", "Residence status"),
    "service": ("Služba", "Service"),
    "month": ("Měsíc", "Month"),
    "centre": ("Centrum", "Centre"),
    "topic": ("Téma", "Topic"),
    "mode": ("Forma", "Mode"),
    "branch": ("Pobočka", "Branch"),
    "interpreted": ("Tlumočeno", "Interpreted"),
    "course_type": ("Typ kurzu", "Course type"),
    "level_in": ("Vstupní úroveň", "Entry level"),
    "level_out": ("Výstupní úroveň", "Exit level"),
    "exam": ("Zkouška", "Exam"),
    "attendance_band": ("Docházka", "Attendance"),
    "event_type": ("Typ akce", "Event type"),
    "audience": ("Cílové publikum", "Audience"),
    "outcome": ("Výsledek", "Outcome"),
    "verified": ("Ověřeno", "Verified"),
    "days_to_outcome_band": ("Dny do výsledku", "Days to outcome"),
}

# Dimensions whose codes share a catalogue under another name.
_CATALOGUE_ALIASES = {"level_in": "cefr", "level_out": "cefr", "course_type": "service"}
_BOOLEAN_DIMENSIONS = {"interpreted", "verified"}
_YES_NO = {True: ("Ano", "Yes"), False: ("Ne", "No")}
REST_CODE = "__rest__"
REST_LABEL = ("Ostatní", "Other")  # the bar that gathers what a top-N chart leaves out

MONTHS_CS = ("led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis", "pro")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def metric_name(metric: str, lang: str) -> str:
    pair = METRIC_NAMES.get(metric)
    if pair is None:
        return metric
    return pair[0] if lang == "cs" else pair[1]


def dimension_name(dimension: str, lang: str) -> str:
    pair = DIMENSION_NAMES.get(dimension)
    if pair is None:
        return dimension
    return pair[0] if lang == "cs" else pair[1]


def month_label(code: str, lang: str) -> str:
    """`2022-08` -> cs `srp 2022`, en `Aug 2022`."""
    year, month = code.split("-")[:2]
    names = MONTHS_CS if lang == "cs" else MONTHS_EN
    return f"{names[int(month) - 1]} {year}"


def code_label(dimension: str, code: object, lang: str) -> str:
    """Human label of one value of a dimension in the UI language."""
    if code is None:
        return "—"
    if code == REST_CODE:
        return REST_LABEL[0] if lang == "cs" else REST_LABEL[1]
    if dimension in _BOOLEAN_DIMENSIONS:
        truth = code if isinstance(code, bool) else str(code).lower() in ("true", "1", "yes")
        pair = _YES_NO[truth]
        return pair[0] if lang == "cs" else pair[1]
    if dimension == "month":
        return month_label(str(code), lang)
    catalogue_name = _CATALOGUE_ALIASES.get(dimension, dimension)
    known = catalogue_name in ("nationality", "district", "age_band", "cefr") or catalogue(catalogue_name)
    text = label(catalogue_name, str(code), lang) if known else str(code)
    if text == "unknown":
        return "Neuvedeno" if lang == "cs" else "Not stated"
    return text
