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
