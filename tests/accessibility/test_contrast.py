"""Colours meet WCAG 2.1 AA: text 4.5:1, chart marks 3:1 (the theme and the stylesheet, one source each)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from charts import theme
from charts.theme import BACKGROUND, INK, MARK_CONTRAST, MUTED, SEQUENTIAL, TEXT_CONTRAST, contrast_ratio

STYLE = Path(__file__).resolve().parents[2] / "dashboard" / "assets" / "style.css"


def _css_colours() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", STYLE.read_text(encoding="utf-8")))


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", [*theme.SERIES, *theme.SEX_COLOURS.values(), theme.PRIMARY, MUTED])
def test_chart_marks_stand_out_from_the_white_plot(colour: str) -> None:
    assert contrast_ratio(colour, BACKGROUND) >= MARK_CONTRAST


@pytest.mark.parametrize("fill", [colour for _, colour in SEQUENTIAL] + [theme.EMPTY_TILE])
def test_values_printed_on_tiles_and_heatmap_cells_are_readable(fill: str) -> None:
    assert contrast_ratio(INK, fill) >= TEXT_CONTRAST


def test_series_colours_are_distinct_and_lines_differ_by_more_than_colour() -> None:
    assert len(set(theme.SERIES)) == len(theme.SERIES)
    assert len(set(theme.MARKER_SYMBOLS)) == len(theme.MARKER_SYMBOLS) >= len(theme.SERIES)


@pytest.mark.parametrize(("text", "background"), [
    ("ink", "card"), ("ink", "page"), ("muted", "card"), ("muted", "page"), ("navy", "card"), ("red", "card"),
])
def test_stylesheet_text_colours_meet_aa(text: str, background: str) -> None:
    colours = _css_colours()
    assert contrast_ratio(colours[text], colours[background]) >= TEXT_CONTRAST


def test_the_focus_outline_is_visible_on_light_and_dark_surfaces() -> None:
    colours = _css_colours()
    assert contrast_ratio(colours["focus"], colours["page"]) >= MARK_CONTRAST
    assert contrast_ratio(colours["focus-on-dark"], colours["navy"]) >= MARK_CONTRAST
