"""Indicator frameworks: shipped files load, every indicator is a valid metric query, bad files are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.errors import ReachError
from pipelines.safe_text import neutralise
from reports.framework import available_frameworks, load_framework

FUND_PARTICIPANTS = ("third_country_national", "ukrainian", "international_protection")


def test_both_frameworks_ship() -> None:
    assert {"amif-2021-2027", "amif-2014-2020"} <= set(available_frameworks())


def test_amif_2021_2027_codes_and_mapping() -> None:
    framework = load_framework("amif-2021-2027")
    codes = [i.code for i in framework.indicators]
    assert codes == ["O.2.3", "O.2.3.1", "O.2.3.2", "O.2.3.3", "R.2.8", "R.2.9", "R.2.10", "R.2.11"]
    o23 = framework.indicator("O.2.3")
    assert o23.metric == "clients_reached"
    assert o23.where == {"target_group": FUND_PARTICIPANTS}
    assert framework.indicator("O.2.3.1").where["service"] == ("czech_a1", "czech_a2", "czech_b1")
    assert framework.indicator("R.2.11").where["outcome"] == ("permanent_residence_applied",)
    # Majority society is reported separately, never inside the fund's participants.
    majority = framework.indicator("MAJ")
    assert majority.where == {"target_group": ("majority_society",)}
    assert all("majority_society" not in i.where.get("target_group", ()) for i in framework.indicators)
    # So are EU, EEA and Swiss citizens (list T: the fund's indicators do not count them).
    assert framework.indicator("EUC").where == {"target_group": ("eu_citizen",)}
    assert all("eu_citizen" not in i.where.get("target_group", ()) for i in framework.indicators)


def test_amif_2014_2020_has_measure_breakdown() -> None:
    framework = load_framework("amif-2014-2020")
    assert framework.indicators[0].metric == "clients_reached"
    assert len(framework.indicators) >= 5
    assert all(i.where["target_group"] == FUND_PARTICIPANTS for i in framework.indicators)
    assert framework.indicator("EUC").where == {"target_group": ("eu_citizen",)}


def test_unknown_framework_lists_the_shipped_ones() -> None:
    with pytest.raises(ReachError, match="amif-2021-2027"):
        load_framework("amif-1999")


def test_framework_with_a_dimension_the_metric_lacks_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: bad\nname_cs: x\nname_en: x\nindicators:\n"
        "  - {code: B1, name_cs: x, name_en: x, metric: event_attendance, where: {outcome: [employment_found]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReachError, match=r"bad\.yaml, indicator B1"):
        load_framework(bad)


def test_framework_missing_a_key_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("code: broken\nname_cs: x\nindicators: []\n", encoding="utf-8")
    with pytest.raises(ReachError, match=r"broken\.yaml is not valid"):
        load_framework(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+420 777", "'+420 777"), ("-1", "-1"), ("-2+3", "'-2+3"), ("@x", "'@x"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("\uff1dSUM(1)", "'\uff1dSUM(1)"), (" =1", "' =1"),
    ("Praha", "Praha"), ("", ""),
])
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected
