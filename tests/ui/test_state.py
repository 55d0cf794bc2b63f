"""The view state lives in the URL: round trips, periods, comparisons, click toggles, control changes."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dashboard.callbacks import apply_control_changes
from dashboard.state.url import (
    FILTER_DIMENSIONS,
    PAGES,
    Period,
    ViewState,
    comparison_period,
    parse_view,
    path_of,
    resolve_period,
    to_search,
)

PROJECT = (date(2022, 8, 1), date(2023, 7, 31))

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=8)
views = st.builds(
    ViewState,
    page=st.sampled_from(PAGES),
    preset=st.sampled_from(("project", "year", "quarter", "month")),
    period_value=st.sampled_from(("", "2023", "2023-Q1", "2022-09")),
    comparison=st.sampled_from(("previous", "year", "none")),
    filters=st.dictionaries(st.sampled_from(FILTER_DIMENSIONS), st.lists(codes, min_size=1, max_size=3,
                                                                         unique=True).map(tuple)),
    lang=st.sampled_from(("cs", "en")),
)


@given(views)
def test_a_link_reproduces_the_view(view: ViewState) -> None:
    restored = parse_view(path_of(view.page), to_search(view))
    expected_value = view.period_value if view.preset != "project" else ""
    assert restored.page == view.page and restored.preset == view.preset
    assert restored.period_value == expected_value
    assert restored.comparison == view.comparison and restored.lang == view.lang
    assert restored.filters == {d: v for d, v in view.filters.items() if v}


def test_default_view_has_a_clean_url() -> None:
    assert to_search(ViewState()) == ""
    assert parse_view("/", "") == ViewState()


def test_malformed_url_parts_fall_back_to_defaults() -> None:
    view = parse_view("/nowhere", "?preset=decade&cmp=later&lang=de&from=yesterday")
    assert (view.page, view.preset, view.comparison, view.lang, view.custom_from) == (
        "overview", "project", "previous", "cs", None)


def test_custom_range_is_kept_in_the_url() -> None:
    view = ViewState(preset="custom", custom_from=date(2022, 9, 1), custom_to=date(2022, 9, 30))
    assert to_search(view) == "?preset=custom&from=2022-09-01&to=2022-09-30"
    assert resolve_period(parse_view("/", to_search(view)), *PROJECT) == Period(date(2022, 9, 1),
                                                                                       date(2022, 9, 30))


def test_period_presets() -> None:
    def period(preset: str, value: str) -> Period:
        return resolve_period(ViewState(preset=preset, period_value=value), *PROJECT)

    assert period("project", "") == Period(*PROJECT)
    assert period("year", "2023") == Period(date(2023, 1, 1), date(2023, 12, 31))
    assert period("quarter", "2023-Q1") == Period(date(2023, 1, 1), date(2023, 3, 31))
    assert period("month", "2024-02") == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert period("month", "garbage") == Period(*PROJECT)


def test_comparison_periods() -> None:
    quarter = Period(date(2023, 1, 1), date(2023, 3, 31))
    assert comparison_period(quarter, "previous") == Period(date(2022, 10, 1), date(2022, 12, 31))
    assert comparison_period(quarter, "year") == Period(date(2022, 1, 1), date(2022, 3, 31))
    assert comparison_period(Period(date(2023, 3, 1), date(2023, 3, 31)), "previous") == Period(
        date(2023, 2, 1), date(2023, 2, 28))
    project = Period(*PROJECT)
    assert comparison_period(project, "previous") == Period(date(2021, 8, 1), date(2022, 7, 31))
    assert comparison_period(project, "none") is None


def test_clicking_toggles_a_filter_value() -> None:
    view = ViewState().with_filter_toggled("nationality", "UA")
    assert view.filters == {"nationality": ("UA",)}
    view = view.with_filter_toggled("nationality", "VN")
    assert view.filters == {"nationality": ("UA", "VN")}
    assert view.with_filter_toggled("nationality", "UA").with_filter_toggled("nationality", "VN").filters == {}


def test_a_control_change_applies_only_itself() -> None:
    view = parse_view("/reach", "?nationality=UA&lang=en")
    changed = apply_control_changes(view, {"filter-district.value": ["CZ0427"]})
    assert changed.filters == {"district": ("CZ0427",), "nationality": ("UA",)}
    assert changed.lang == "en" and changed.page == "reach"
    # A dropdown emptying itself while its options are re-filled is not a user choice.
    assert apply_control_changes(view, {"preset.value": None, "comparison.value": None}) == view
    assert apply_control_changes(view, {"clear-filters.n_clicks": 1}).filters == {}
    assert apply_control_changes(view, {"preset.value": "month"}).preset == "month"
