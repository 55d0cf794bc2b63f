"""Regions and districts are complete: 14 regions as pycountry has them, 77 districts, each in one region;
the regional statistics name their source."""

from __future__ import annotations

from collections import Counter

import pycountry

from pipelines.reference.districts import PRAGUE_NAME, districts
from pipelines.reference.regions import regions
from pipelines.reference.seeds import read_seed

NUTS3 = ("CZ010", "CZ020", "CZ031", "CZ032", "CZ041", "CZ042", "CZ051", "CZ052", "CZ053", "CZ063", "CZ064",
         "CZ071", "CZ072", "CZ080")  # facts.md


def test_fourteen_regions_as_pycountry_and_facts_give_them() -> None:
    assert tuple(r.code for r in regions()) == NUTS3
    iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code="CZ")
           if s.type in ("Region", "Capital city")}
    assert {r.iso_code for r in regions()} == set(iso)
    for region in regions():
        assert region.code == "CZ0" + region.iso_code.removeprefix("CZ-")
        expected = PRAGUE_NAME if region.iso_code == "CZ-10" else iso[region.iso_code]
        assert region.name_cs == expected, region
        assert region.name_en.strip(), region


def test_seventy_seven_districts_each_in_exactly_one_region() -> None:
    all_districts = districts()
    assert len(all_districts) == 77 == len({d.code for d in all_districts})
    assert "CZ0100" in {d.code for d in all_districts}  # Prague is one district
    per_region = Counter(d.region_code for d in all_districts)
    assert set(per_region) == set(NUTS3)  # every district in a known region, every region has districts
    assert per_region["CZ010"] == 1 and per_region["CZ042"] == 7 and sum(per_region.values()) == 77
    for d in all_districts:
        assert d.code.startswith(d.region_code), d


def test_district_seed_names_its_region_and_no_centre() -> None:
    rows = read_seed("ref_districts.csv")
    assert "in_usti_region" not in rows[0]
    names = {r.code: r.name_cs for r in regions()}
    assert all(row["region_name"] == names[row["region_code"]] for row in rows)


def test_regional_statistics_name_source_year_and_basis() -> None:
    for seed, value in (("ref_region_foreign_residents.csv", "foreign_residents"),
                        ("ref_region_population.csv", "population"),
                        ("ref_foreign_residents.csv", "foreign_residents"),
                        ("ref_district_population.csv", "population")):
        for row in read_seed(seed):
            assert row["basis"] in ("published", "estimate") and row["source"].strip(), (seed, row)
            assert int(row["year"]) >= 2019 and int(row[value]) > 0, (seed, row)
            assert (row["basis"] == "estimate") == row["source"].startswith("ESTIMATE"), (seed, row)
    region = {(r["region_code"], int(r["year"])): int(r["foreign_residents"])
              for r in read_seed("ref_region_foreign_residents.csv")}
    assert region[("CZ042", 2022)] == 61_437  # ČSÚ, facts.md
    district_2022 = [int(r["foreign_residents"]) for r in read_seed("ref_foreign_residents.csv") if r["year"] == "2022"]
    assert sum(district_2022) == region[("CZ042", 2022)]  # the estimate splits the published total
    population = {r["region_code"]: int(r["population"]) for r in read_seed("ref_region_population.csv")}
    assert population["CZ042"] == sum(int(r["population"]) for r in read_seed("ref_district_population.csv"))
