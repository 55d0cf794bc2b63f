"""Reference data derived from pycountry and babel."""

import pytest

from pipelines.contract import UNKNOWN
from pipelines.reference.countries import EU_EEA_CH, STATELESS, countries, resolve_citizenship
from pipelines.reference.districts import districts, resolve_district
from pipelines.reference.labels import catalogue, label


def test_seventy_seven_districts_and_the_usti_seven():
    all_districts = districts()
    assert len(all_districts) == 77
    usti = {d.code: d.name for d in all_districts if d.region_code == "CZ042"}
    assert usti == {"CZ0421": "Děčín", "CZ0422": "Chomutov", "CZ0423": "Litoměřice", "CZ0424": "Louny",
                    "CZ0425": "Most", "CZ0426": "Teplice", "CZ0427": "Ústí nad Labem"}


@pytest.mark.parametrize(("given", "code"), [
    ("Ústí nad Labem", "CZ0427"), ("  ÚSTÍ  NAD LABEM ", None), ("usti nad labem", "CZ0427"),
    ("Hlavní město Praha", "CZ0100"), ("Praha-západ", "CZ020A"), ("Teplice", "CZ0426"),
    ("", UNKNOWN), (None, UNKNOWN), ("Atlantida", None),
])
def test_district_resolution(given, code):
    # Inner runs of whitespace are not ignored for values: only case, surrounding space, diacritics.
    assert resolve_district(given) == code


@pytest.mark.parametrize(("given", "code"), [
    ("Ukrajina", "UA"), ("UA", "UA"), ("UKR", "UA"), ("ukrajina", "UA"), ("Vietnam", "VN"),
    ("Mongolsko", "MN"), ("Ruská federace", "RU"), ("Rusko", "RU"), ("Moldavsko", "MD"),
    ("bez státní příslušnosti", STATELESS), ("XXA", STATELESS), ("Slovensko", "SK"),
    ("Narnie", UNKNOWN), ("", UNKNOWN), (None, UNKNOWN),
])
def test_citizenship_resolution(given, code):
    assert resolve_citizenship(given) == code


def test_every_country_has_czech_and_english_names():
    for c in countries():
        assert c.name_cs and c.name_en, c.alpha2
    assert len(EU_EEA_CH) == 31
    assert all(resolve_citizenship(code) == code for code in EU_EEA_CH)


def test_labels_in_both_languages():
    assert label("nationality", "UA") == "Ukrajina"
    assert label("nationality", "UA", "en") == "Ukraine"
    assert label("service", "legal_counselling") == "Právní poradenství"
    assert label("service", "legal_counselling", "en") == "Legal counselling"
    assert label("district", "CZ0513", "en") == "Liberec"
    assert label("region", "CZ051") == "Liberecký kraj" and label("region", "CZ051", "en") == "Liberec Region"
    assert label("in_centre_region", "no", "en") == "Outside the centre's region"
    assert label("target_group", "ukrainian") == "Občan Ukrajiny"
    assert label("course_type", "czech_b1") == "Čeština B1"
    assert label("outcome", "czech_exam_passed") == "Zkouška z ČJ složena"
    services = catalogue("service")
    assert "event_lecture_public" in services and "czech_b1" in services
    for dimension in ("service", "outcome", "topic", "event_type", "audience", "target_group"):
        for code, (cs, en) in catalogue(dimension).items():
            assert cs and en, (dimension, code)
