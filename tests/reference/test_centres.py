"""The centres seed and its reader: fourteen regional centres, one per region; ULK as the project says."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from pipelines.errors import ReachError
from pipelines.reference.centres import BASES, centre, centre_districts, centres, known_codes
from pipelines.reference.regions import regions
from pipelines.reference.seeds import SEEDS_DIR, read_seed

CODES = ("PHA", "STC", "JHC", "PLK", "KVK", "ULK", "LBK", "HKK", "PAK", "VYS", "JHM", "OLK", "ZLK", "MSK")


def test_fourteen_centres_one_per_region_in_region_order() -> None:
    assert known_codes() == CODES
    assert [c.region_code for c in centres()] == [r.code for r in regions()]


def test_the_usti_centre_is_the_project_of_the_targets_file() -> None:
    text = (SEEDS_DIR.parent / "config" / "targets.yaml").read_text(encoding="utf-8")
    project = yaml.safe_load(text)["centres"]["ULK"][0]  # the centre's first project period
    ulk = centre("ULK")
    assert (ulk.project_code, ulk.project_from, ulk.project_to) == (
        project["code"], project["period_from"], project["period_to"])
    assert ulk.project_from == date(2022, 8, 1) and ulk.project_to == date(2023, 7, 31)
    assert ulk.name == project["name_cs"] and ulk.operator == "Poradna pro integraci, z.ú."
    assert ulk.region.name_cs == "Ústecký kraj" and ulk.basis == "source"
    assert ulk.period == "2022-08-01 – 2023-07-31"


def test_illustrative_rows_invent_no_project() -> None:
    """Where no source gives a project, the row says illustrative and leaves code and period empty."""
    rows = read_seed("ref_centres.csv")
    assert {row["basis"] for row in rows} <= set(BASES)
    for row in rows:
        assert row["source"].strip(), row["code"]
        sourced = row["basis"] == "source"
        assert bool(row["project_code"]) == sourced == bool(row["project_from"]) == bool(row["project_to"]), row
    assert [row["code"] for row in rows if row["basis"] == "source"] == ["ULK"]
    assert centre("LBK").name == "Centrum na podporu integrace cizinců pro Liberecký kraj"
    assert centre("LBK").period == ""


def test_reader_ignores_case_and_space_and_refuses_an_unknown_code() -> None:
    assert centre(" lbk ").code == "LBK"
    with pytest.raises(ReachError) as refused:
        centre("XYZ")
    message = str(refused.value)
    assert "'XYZ'" in message and ", ".join(CODES) in message


def test_a_centres_districts_are_those_of_its_region() -> None:
    assert list(centre_districts("LBK")) == ["CZ0511", "CZ0512", "CZ0513", "CZ0514"]
    assert centre_districts("PHA") == {"CZ0100": "Hlavní město Praha"}
    assert sum(len(centre_districts(code)) for code in CODES) == 77
