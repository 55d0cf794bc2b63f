"""Czech and English labels for every code the product shows (one source for UI, reports, seeds)."""

from __future__ import annotations

from functools import cache

from pipelines import contract
from pipelines.reference.centres import centres
from pipelines.reference.countries import STATELESS, countries
from pipelines.reference.districts import districts
from pipelines.reference.regions import regions

Label = tuple[str, str]  # (Czech, English)

_ENGLISH: dict[str, dict[str, str]] = {
    "sex": {"male": "Male", "female": "Female", "other": "Other", "unknown": "Not stated"},
    "residence_status": {
        "permanent": "Permanent residence", "long_term": "Long-term residence",
        "long_term_visa": "Long-term visa", "temporary_protection": "Temporary protection",
        "asylum": "Asylum", "subsidiary_protection": "Subsidiary protection",
        "eu_temporary": "Temporary residence (EU)",
        "asylum_seeker": "Applicant for international protection", "other": "Other",
        "unknown": "Not stated",
    },
    "target_group": {
        "third_country_national": "Third-country national", "ukrainian": "Citizen of Ukraine",
        "international_protection": "International protection holder",
        "majority_society": "Majority society", "eu_citizen": "EU citizen",
        "public_administration": "Public administration",
        "professionals": "Professionals", "unknown": "Unknown",
    },
    "service": {
        "social_counselling": "Social counselling", "legal_counselling": "Legal counselling",
        "information_centre": "Information centre", "field_work": "Field work",
        "integration_activity": "Integration activity", "interpreting": "Interpreting",
        "czech_a1": "Czech A1", "czech_a2": "Czech A2", "czech_b1": "Czech B1",
        "sociocultural_orientation": "Socio-cultural orientation",
    },
    "topic": {
        "residence": "Residence", "employment": "Employment", "housing": "Housing",
        "health": "Health care", "education": "Education", "social_benefits": "Social benefits",
        "family": "Family", "authorities": "Authorities", "other": "Other", "unknown": "Unknown",
    },
    "mode": {"in_person": "In person", "phone": "Phone", "online": "Online", "field": "Field",
             "unknown": "Unknown"},
    "course_type": {
        "czech_a1": "Czech A1", "czech_a2": "Czech A2", "czech_b1": "Czech B1",
        "sociocultural_orientation": "Socio-cultural orientation",
    },
    "exam": {"passed": "Passed", "failed": "Failed", "not_taken": "Not taken"},
    "event_type": {
        "lecture_foreigners": "Lecture for foreigners", "lecture_public": "Lecture for the public",
        "integration_activity": "Integration activity", "educational": "Educational event",
        "multicultural": "Multicultural event", "integration_platform": "Integration platform",
        "information_campaign": "Information campaign",
    },
    "audience": {
        "foreigners": "Foreigners", "public": "Public",
        "public_administration": "Public administration", "professionals": "Professionals",
        "mixed": "Mixed", "unknown": "Unknown",
    },
    "outcome": {
        "residence_permit_granted": "Residence permit granted",
        "residence_permit_extended": "Residence permit extended",
        "permanent_residence_applied": "Applied for permanent residence",
        "permanent_residence_granted": "Permanent residence granted",
        "employment_found": "Employment found", "housing_secured": "Housing secured",
        "child_enrolled_school": "Child enrolled in school",
        "health_insurance_arranged": "Health insurance arranged",
        "qualification_recognition_applied": "Applied for recognition of qualifications",
        "czech_exam_passed": "Czech exam passed",
        "reported_helpful": "Reported the service helped integration",
    },
}

_CZECH_EXTRA: dict[str, dict[str, str]] = {
    "sex": {"male": "Muž", "female": "Žena", "other": "Jiné", "unknown": "Neuvedeno"},
    "service": {
        "czech_a1": "Čeština A1", "czech_a2": "Čeština A2", "czech_b1": "Čeština B1",
        "sociocultural_orientation": "Sociokulturní orientace",
    },
    "exam": {"passed": "Složena", "failed": "Nesložena", "not_taken": "Nekonána"},
    # The contract's keys are lower-case for matching; these labels need their capitals back.
    "target_group": {"ukrainian": "Občan Ukrajiny", "eu_citizen": "Občan EU", "unknown": "Neznámá"},
    "course_type": {
        "czech_a1": "Čeština A1", "czech_a2": "Čeština A2", "czech_b1": "Čeština B1",
    },
    "outcome": {"czech_exam_passed": "Zkouška z ČJ složena"},
    "topic": {"unknown": "Neuvedeno"},
    "mode": {"unknown": "Neuvedeno"},
    "audience": {"unknown": "Neuvedeno"},
    "residence_status": {"unknown": "Neuvedeno"},
}

_CONTRACT_LISTS = {
    "residence_status": contract.RESIDENCE_STATUS,
    "target_group": contract.TARGET_GROUP,
    "service": contract.SERVICE,
    "topic": contract.TOPIC,
    "mode": contract.MODE,
    "course_type": contract.COURSE_TYPE,
    "event_type": contract.EVENT_TYPE,
    "audience": contract.AUDIENCE,
    "outcome": contract.OUTCOME,
}


def _czech_from_contract(values: dict[str, str]) -> dict[str, str]:
    """The first Czech label of each code in the contract, capitalised."""
    labels: dict[str, str] = {}
    for label, code in values.items():
        labels.setdefault(code, label[:1].upper() + label[1:])
    return labels


@cache
def catalogue(dimension: str) -> dict[str, Label]:
    """code -> (Czech label, English label) for a dimension."""
    if dimension == "nationality":
        table = {c.alpha2: (c.name_cs, c.name_en) for c in countries()}
        table[STATELESS] = ("Bez státní příslušnosti", "Stateless")
        table["unknown"] = ("Neznámá", "Unknown")
        return table
    if dimension == "district":
        table = {d.code: (d.name, d.name) for d in districts()}
        table["unknown"] = ("Neznámý", "Unknown")
        return table
    if dimension == "region":
        table = {r.code: (r.name_cs, r.name_en) for r in regions()}
        table["unknown"] = ("Neznámý", "Unknown")
        return table
    if dimension == "centre":  # the code (what users know) with its region
        return {c.code: (f"{c.code} · {c.region.name_cs}", f"{c.code} · {c.region.name_en}") for c in centres()}
    if dimension == "in_centre_region":
        return {"yes": ("V kraji centra", "In the centre's region"),
                "no": ("Mimo kraj centra", "Outside the centre's region"), "unknown": ("Neuvedeno", "Not stated")}
    if dimension == "cefr":
        return {level: (level, level) for level in contract.CEFR_LEVELS}
    czech = _czech_from_contract(_CONTRACT_LISTS.get(dimension, {}))
    czech.update(_CZECH_EXTRA.get(dimension, {}))
    english = _ENGLISH.get(dimension, {})
    codes = list(dict.fromkeys([*czech, *english]))
    if dimension == "service":  # event participations are activities too: event_<type>
        for code, label in catalogue("event_type").items():
            czech["event_" + code] = "Akce: " + label[0].lower()
            english["event_" + code] = "Event: " + label[1].lower()
            codes.append("event_" + code)
    return {code: (czech.get(code, code), english.get(code, code)) for code in codes}


def label(dimension: str, code: str | None, lang: str = "cs") -> str:
    """Human label of a code in the UI language; the code itself when none is known."""
    if code is None:
        return "—"
    pair = catalogue(dimension).get(code)
    if pair is None:
        return code
    return pair[0] if lang == "cs" else pair[1]
