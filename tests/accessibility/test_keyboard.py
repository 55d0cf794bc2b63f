"""The dashboard with the keyboard alone, in a real headless Chromium: key presses only, no clicks.

Choose a period, set a filter, filter from a chart's table view and download the chart's figures.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from pipelines.home import Home
from pipelines.metrics.protection import NOTICE
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.browser import tables_shown

from ._browser import (
    FAILING_IMPACTS,
    TIMEOUT,
    axe_violations,
    describe,
    focus_is_visible,
    focused,
    press,
    rendered,
    tab_to,
)

pytestmark = pytest.mark.browser
CHART = "reach-nationality"


def _query(dash_duo: DashComposite) -> dict[str, list[str]]:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def _wait_for_query(dash_duo: DashComposite, name: str, value: str) -> None:
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: _query(dash_duo).get(name) == [value])


def _choose(dash_duo: DashComposite, dropdown: str, steps: int) -> None:
    """Open a single-choice dropdown with Enter, move `steps` options down, choose with Enter."""
    tab_to(dash_duo, f"#{dropdown}")
    press(dash_duo, Keys.ENTER)
    wait = WebDriverWait(dash_duo.driver, TIMEOUT)
    wait.until(lambda d: _option_index(dash_duo) is not None)  # the focus is on the chosen option
    start = _option_index(dash_duo)
    for step in range(1, steps + 1):
        press(dash_duo, Keys.ARROW_DOWN)
        wait.until(lambda d, step=step: _option_index(dash_duo) == start + step)  # a person waits to see it too
    press(dash_duo, Keys.ENTER)


def _option_index(dash_duo: DashComposite) -> int | None:
    """The index of the dropdown option that has the focus, if any."""
    index = dash_duo.driver.execute_script(
        "var o = document.activeElement.closest('.dash-dropdown-content [data-option-index]');"
        "return o ? Number(o.dataset.optionIndex) : null")
    return None if index is None else int(index)


def _download(folder: Path) -> Path:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        done = [p for p in folder.glob("*.csv") if p.stat().st_size]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no CSV downloaded into {folder}")


def test_period_filter_table_view_and_download_with_keys_only(dash_duo: DashComposite,
                                                              published_home: Home) -> None:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home)
    dash_duo.driver.get(dash_duo.server_url + "/reach")
    rendered(dash_duo)

    # The first Tab reaches the skip link; Enter moves the focus past the header and the filters.
    press(dash_duo, Keys.TAB)
    assert focused(dash_duo).get_attribute("id") == "skip-link" and focus_is_visible(dash_duo)
    press(dash_duo, Keys.ENTER)
    assert focused(dash_duo).get_attribute("id") == "main"

    # A period: the quarter preset (two options down), then the quarter before the latest one.
    tab_to(dash_duo, "#preset", back=True)
    _choose(dash_duo, "preset", 2)
    _wait_for_query(dash_duo, "preset", "quarter")
    _wait_for_query(dash_duo, "pv", "2023-Q1")  # the latest quarter with data comes first
    rendered(dash_duo)
    _choose(dash_duo, "period-value", 1)
    _wait_for_query(dash_duo, "pv", "2022-Q4")
    rendered(dash_duo)

    # A filter: type into the district dropdown's search, Enter takes the match, Escape closes.
    tab_to(dash_duo, "#filter-district")
    press(dash_duo, Keys.ENTER)
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: d.execute_script("return document.activeElement.classList.contains('dash-dropdown-search')"))
    press(dash_duo, "Teplice")
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: d.execute_script(
        "var first = document.querySelector('.dash-dropdown-content .dash-dropdown-option');"
        "return first !== null && first.textContent.trim() === 'Teplice'"))  # the search has narrowed the list
    press(dash_duo, Keys.ENTER)
    # Teplice: enough Ukrainian clients in the quarter that the chart, filtered to them, still shows
    # (a selection of fewer than 20 people shows a notice instead of the chart and its table view).
    _wait_for_query(dash_duo, "district", "CZ0426")
    rendered(dash_duo)  # the filtered view drawn first: nothing redraws under the next key
    press(dash_duo, Keys.ESCAPE)
    # Back on the dropdown (the browser moves the focus when the menu has closed, a frame later).
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: d.execute_script("return document.activeElement && document.activeElement.id") == "filter-district")
    rendered(dash_duo)

    # The chart's table view opens with Enter; its first row's button filters like a click on the bar.
    summary = tab_to(dash_duo, f"#table-view-{CHART} > summary")
    press(dash_duo, Keys.ENTER)
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: d.find_element("id", f"table-view-{CHART}").get_attribute("open") is not None)
    tables_shown(dash_duo)  # the table is sent when its view is opened
    assert summary.text == "Zobrazit jako tabulku"
    first_row = tab_to(dash_duo, f"#table-view-{CHART} .row-filter")
    code = first_row.text
    assert first_row.get_attribute("aria-pressed") == "false"
    press(dash_duo, Keys.ENTER)
    _wait_for_query(dash_duo, "nationality", "UA")
    assert code == "Ukrajina"
    rendered(dash_duo)
    # After the page is redrawn the focus is back on the same, now pressed, row button.
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: d.execute_script("return document.activeElement.getAttribute('aria-pressed') === 'true'"))
    serious = [v for v in axe_violations(dash_duo) if v["impact"] in FAILING_IMPACTS]
    assert not serious, describe(serious)  # the view with filters and an open table view passes axe too

    # The chart's figures as a file: back to the card's CSV button, Enter downloads.
    tab_to(dash_duo, f"#card-{CHART} button[aria-label$='(CSV)']", back=True)
    press(dash_duo, Keys.ENTER)
    csv = _download(Path(dash_duo.download_path))
    assert csv.name == f"{CHART}_20221001-20221231.csv"
    text = csv.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("nationality,nationality_label,clients_reached")
    *rows, note = text.splitlines()[1:]
    assert [line.split(",")[0] for line in rows] == ["UA"]
    assert note == NOTICE["cs"]  # the file says once that its figures are perturbed (disclosure.md)
    assert dash_duo.get_logs() == []
