"""The print view and the reduced-motion setting in a real headless Chromium, and the screenshot
script's output for a reviewer (both screen sizes and the print view)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from dash.testing.composite import DashComposite
from PIL import Image

from pipelines.home import Home
from reach import screenshots
from reach.dashboard import create_dashboard
from support.access import start_signed_in

from ._browser import rendered

pytestmark = pytest.mark.browser

LONGEST = ("Math.max.apply(null, Array.from(document.querySelectorAll('*')).map(function (e) {"
           " var s = getComputedStyle(e); return Math.max.apply(null, (s.transitionDuration + ','"
           " + s.animationDuration).split(',').map(parseFloat)); }))")


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.replace("\xa0", " ").split())


@pytest.fixture
def board(dash_duo: DashComposite, published_home: Home) -> DashComposite:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home)
    return dash_duo


def test_printed_page_shows_view_filters_figures_and_charts_without_navigation(board: DashComposite,
                                                                               tmp_path: Path) -> None:
    board.driver.get(board.server_url + "/reach?district=CZ0425&cmp=none")
    rendered(board)
    pages = screenshots.print_view(board.driver, tmp_path / "print" / "reach.pdf")
    text = _pdf_text(tmp_path / "print" / "reach.pdf")
    assert pages and all(p.stat().st_size > 0 for p in pages)
    assert "Dosah Období: 1. 8. 2022 – 31. 7. 2023 Filtry: Okres: Most" in text  # view, period, filters
    assert "Oslovení klienti podle státní příslušnosti" in text and "Ukrajina" in text  # a chart, drawn
    for chrome in ("Přeskočit na obsah", "Definice", "Zrušit filtry", "Zprávy za období", "Zobrazit jako tabulku",
                   "XLSX"):
        assert chrome not in text, chrome  # no navigation, controls or buttons on paper
    assert board.get_logs() == []


def test_reduced_motion_stops_every_animation_and_transition(board: DashComposite) -> None:
    board.driver.get(board.server_url + "/reach")
    rendered(board)
    assert board.driver.execute_script(f"return {LONGEST}") >= 0.1  # Dash's own widgets do animate
    board.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                 {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    board.driver.get(board.server_url + "/reach")
    rendered(board)
    assert board.driver.execute_script(f"return {LONGEST}") <= 1e-5
    durations = board.driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".map(function (g) { return g._fullLayout.transition.duration; })")
    assert durations and set(durations) == {0}  # the charts never animate


def test_screenshot_script_writes_both_screen_sizes_and_the_print_view(published_home: Home, tmp_path: Path) -> None:
    written = screenshots.take(published_home, tmp_path, "en", pages=("overview", "quality"))
    for page in ("overview", "quality"):
        for width, height in screenshots.SIZES:
            with Image.open(tmp_path / f"{page}_en_{width}x{height}.png") as image:
                assert image.size == (width, height)
        assert (tmp_path / "print" / f"{page}_en.pdf").stat().st_size > 0
        printed = sorted(tmp_path.glob(f"{page}_en_print-*.png"))
        assert printed and set(printed) <= set(written)
        with Image.open(printed[0]) as image:
            assert image.width > image.height  # A4 landscape, as the print stylesheet asks
    assert "Overview Period:" in _pdf_text(tmp_path / "print" / "overview_en.pdf")
