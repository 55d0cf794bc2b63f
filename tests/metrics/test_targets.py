"""Project targets from YAML, pro rata for shorter periods."""

from datetime import date

import pytest

from pipelines.errors import ReachError
from pipelines.targets import load_targets


def test_shipped_targets_cover_the_project_period():
    targets = load_targets()
    assert targets.code == "AMIF/31/03"
    assert (targets.period_from, targets.period_to) == (date(2022, 8, 1), date(2023, 7, 31))
    full = targets.pro_rata("clients_reached", targets.period_from, targets.period_to)
    assert full == targets.targets["clients_reached"]


def test_pro_rata_by_days(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "project: {code: X, name_cs: a, name_en: b, period_from: 2023-01-01, period_to: 2023-12-31}\n"
        "targets: {contacts: 365}\n", encoding="utf-8",
    )
    targets = load_targets(path)
    assert targets.pro_rata("contacts", date(2023, 1, 1), date(2023, 1, 31)) == pytest.approx(31)
    # Only the part of the period inside the project counts.
    assert targets.pro_rata("contacts", date(2022, 12, 1), date(2023, 1, 10)) == pytest.approx(10)
    assert targets.pro_rata("contacts", date(2024, 1, 1), date(2024, 2, 1)) is None
    assert targets.pro_rata("unknown_metric", date(2023, 1, 1), date(2023, 2, 1)) is None


def test_invalid_targets_file_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("project: {code: X}\n", encoding="utf-8")
    with pytest.raises(ReachError, match=r"broken\.yaml"):
        load_targets(path)


TWO_CENTRES = """
centres:
  ulk:
    - {code: A/1, name_cs: a, name_en: a, period_from: 2023-01-01, period_to: 2023-12-31,
       targets: {contacts: 365, clients_reached: 100}}
  JHM:
    - {code: B/1, name_cs: b, name_en: b, period_from: 2023-01-01, period_to: 2023-06-30,
       targets: {contacts: 181, clients_reached: 50, service_hours: 10}}
    - {code: B/2, name_cs: c, name_en: c, period_from: 2023-07-01, period_to: 2023-12-31,
       targets: {contacts: 184}}
"""


def _two_centres(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(TWO_CENTRES, encoding="utf-8")
    return load_targets(path)


def test_additive_targets_of_several_centres_are_summed(tmp_path):
    targets = _two_centres(tmp_path)
    assert targets.centres == ("JHM", "ULK")
    assert (targets.period_from, targets.period_to) == (date(2023, 1, 1), date(2023, 12, 31))
    january = (date(2023, 1, 1), date(2023, 1, 31))
    # Contacts: 31 days of ULK's 365/365 days, 31 of B/1's 181/181 days -> 31 + 31.
    view = targets.for_view("contacts", ("ULK", "JHM"), *january)
    assert view.value == pytest.approx(62) and view.summed and not view.not_additive
    assert targets.pro_rata("contacts", *january) == pytest.approx(62)
    # A period across JHM's two projects adds both of them (and ULK's): the whole year.
    assert targets.pro_rata("contacts", date(2023, 1, 1), date(2023, 12, 31)) == pytest.approx(365 + 181 + 184)
    assert targets.targets["contacts"] == pytest.approx(730)
    # One centre's view: its own targets only.
    assert targets.for_view("contacts", ("ULK",), *january).value == pytest.approx(31)
    assert targets.for_centres(("ULK",)).code == "A/1"


def test_unique_people_targets_are_not_summed(tmp_path):
    targets = _two_centres(tmp_path)
    january = (date(2023, 1, 1), date(2023, 1, 31))
    view = targets.for_view("clients_reached", ("ULK", "JHM"), *january)
    assert view.value is None and view.not_additive
    assert {p.code for p in view.projects} == {"A/1", "B/1"}
    assert targets.pro_rata("clients_reached", *january) is None
    assert "clients_reached" not in targets.targets  # the national total would count a person twice
    # A single centre keeps its unique-people target.
    assert targets.for_view("clients_reached", ("JHM",), *january).value == pytest.approx(50 * 31 / 181)
    # In the second half only ULK has a clients_reached target: one project, no sum, JHM uncovered.
    later = targets.for_view("clients_reached", ("ULK", "JHM"), date(2023, 8, 1), date(2023, 8, 31))
    assert later.value == pytest.approx(100 * 31 / 365) and later.uncovered == ("JHM",)


def test_a_centre_without_targets_is_uncovered(tmp_path):
    targets = _two_centres(tmp_path)
    view = targets.for_view("service_hours", ("ULK", "JHM", "PHA"), date(2023, 1, 1), date(2023, 6, 30))
    assert view.value == pytest.approx(10) and view.uncovered == ("PHA", "ULK")
    assert targets.for_view("contacts", ("PHA",), date(2023, 1, 1), date(2023, 6, 30)).value is None
    assert targets.for_centres(("PHA",)) is None


@pytest.mark.parametrize("broken, message", [
    ("centres: {XXX: [{code: A, name_cs: a, name_en: a, period_from: 2023-01-01, period_to: 2023-12-31}]}",
     "unknown centre code 'XXX'"),
    ("centres: {ULK: [{code: A, name_cs: a, name_en: a, period_from: 2023-01-01, period_to: 2023-12-31,"
     " targets: {hugs: 3}}]}", "unknown metric 'hugs'"),
    ("centres: {ULK: [{code: A, name_cs: a, name_en: a, period_from: 2023-01-01, period_to: 2023-12-31},"
     " {code: B, name_cs: b, name_en: b, period_from: 2023-06-01, period_to: 2024-12-31}]}", "overlap"),
])
def test_invalid_centre_targets_say_why(tmp_path, broken, message):
    path = tmp_path / "bad.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ReachError, match=message):
        load_targets(path)
