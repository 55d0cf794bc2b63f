"""Reference seeds: generated ones equal the script's output; sourced ones add up and name their source."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from pipelines.reference.write_seeds import SEEDS_DIR, rendered_seeds, write_seeds

USTI_DISTRICTS = {  # the seven districts of the Ústí Region (NUTS 3 CZ042), export-format.md
    "CZ0421": "Děčín", "CZ0422": "Chomutov", "CZ0423": "Litoměřice", "CZ0424": "Louny", "CZ0425": "Most",
    "CZ0426": "Teplice", "CZ0427": "Ústí nad Labem",
}

REGION_FOREIGN_RESIDENTS_2022 = 61_437  # ČSÚ, czso.cz/csu/xu/cizinci-xu
REGION_POPULATION_2021 = 798_898  # ČSÚ, facts.md


def rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_docs() -> dict[str, str]:
    docs = yaml.safe_load((SEEDS_DIR / "_seeds.yml").read_text(encoding="utf-8"))
    return {seed["name"]: seed["description"] for seed in docs["seeds"]}


def test_committed_seeds_equal_what_the_script_writes() -> None:
    for name, text in rendered_seeds().items():
        committed = (SEEDS_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"seeds/{name} is stale: run python -m pipelines.reference.write_seeds"


def test_script_writes_into_a_chosen_folder(tmp_path: Path) -> None:
    written = write_seeds(tmp_path)
    assert sorted(p.name for p in written) == sorted(rendered_seeds())


def test_countries_include_codes_people_need() -> None:
    by_code = {row["code"]: row for row in rows("ref_countries.csv")}
    assert by_code["NA"]["name_en"] == "Namibia"  # "NA" is a code, not a missing value
    assert by_code["UA"]["name_cs"] == "Ukrajina" and by_code["UA"]["is_third_country"] == "true"
    assert by_code["SK"]["is_third_country"] == "false" and by_code["SK"]["is_eu_eea_ch"] == "true"
    assert by_code["CH"]["is_eu_eea_ch"] == "true" and by_code["UA"]["is_eu_eea_ch"] == "false"
    assert by_code["stateless"]["is_third_country"] == "true"
    assert by_code["stateless"]["is_eu_eea_ch"] == "false"
    assert by_code["unknown"]["is_eu_eea_ch"] == "false"
    assert "unknown" in by_code


def test_districts_are_the_77_with_their_region() -> None:
    districts = rows("ref_districts.csv")
    assert len(districts) == 77
    usti = {row["code"]: row["name"] for row in districts if row["region_code"] == "CZ042"}
    assert usti == USTI_DISTRICTS


def test_foreign_residents_cover_the_region_and_sum_to_the_published_total() -> None:
    residents = rows("ref_foreign_residents.csv")
    latest = max(int(row["year"]) for row in residents)
    current = [row for row in residents if int(row["year"]) == latest]
    assert {row["district_code"] for row in current} == set(USTI_DISTRICTS)
    if latest == 2022:
        assert sum(int(row["foreign_residents"]) for row in current) == REGION_FOREIGN_RESIDENTS_2022
    assert {row["basis"] for row in residents} <= {"published", "estimate"}


def test_estimated_denominators_say_so_and_name_their_source() -> None:
    description = seed_docs()["ref_foreign_residents"]
    assert "czso.cz/csu/xu/cizinci-xu" in description
    if any(row["basis"] == "estimate" for row in rows("ref_foreign_residents.csv")):
        assert "ESTIMATE" in description and "TO UPDATE" in description


def test_population_matches_the_region_total() -> None:
    population = rows("ref_district_population.csv")
    assert sum(int(row["population"]) for row in population) == REGION_POPULATION_2021
