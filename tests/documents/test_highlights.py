"""Highlights are computed from the figures: largest change and its driver, targets, groups, outcomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from reports.board.highlights import highlights, largest_change, target_progress
from reports.board.model import Kpi
from support.reports import board_data


def test_the_previous_period_of_a_custom_range_has_equal_length() -> None:
    data = board_data()  # 1 Nov - 31 Dec 2022: two months, no calendar period
    assert data.previous == (date(2022, 9, 1), date(2022, 10, 31))


def test_the_previous_period_of_a_quarter_is_the_previous_quarter() -> None:
    data = replace(board_data(), date_from=date(2023, 1, 1), date_to=date(2023, 3, 31))
    assert data.previous == (date(2022, 10, 1), date(2022, 12, 31))  # not 3 Oct (90 days before)


def test_largest_change_names_metric_and_driver() -> None:
    data = board_data()
    # clients_reached 300 -> 412 (+37 %) is the largest relative change; social counselling +80 drove it.
    assert largest_change(data, "en") == (
        "Largest change from the previous period: Clients reached +37% (412 against 300). "
        "The largest contribution – Service: Social counselling (+80)."
    )
    czech = largest_change(data, "cs")
    assert czech is not None and "Oslovení klienti +37\xa0%" in czech and "Služba: Sociální poradenství (+80)" in czech


def test_a_fall_is_not_pinned_on_a_part_that_explains_little_of_it() -> None:
    data = board_data(lang_neutral_previous=600)  # 600 -> 412: a fall of 188
    text = largest_change(data, "en")
    # The only falling part, legal counselling, lost 5 of the 188: that explains nothing.
    assert text == "Largest change from the previous period: Clients reached −31% (412 against 600)."


def test_suppressed_figures_are_never_compared() -> None:
    data = board_data()
    kpis = (Kpi("clients_reached", "<5", 300, None), Kpi("contacts", "x", 10, None))
    assert largest_change(replace(data, kpis=kpis), "en") is None


def test_target_progress_best_and_lowest() -> None:
    text = target_progress(board_data(), "en")
    assert text == "Progress against pro-rata targets: best Contacts (36%), lowest Clients reached (33%)."


def test_three_to_five_highlights_in_both_languages() -> None:
    for lang in ("cs", "en"):
        found = highlights(board_data(), lang)
        assert 3 <= len(found) <= 5
    english = highlights(board_data(), "en")
    assert any("Ukraine" in h and "44%" in h for h in english)  # 180 of 412 clients reached
    assert any("Employment found" in h for h in english)
