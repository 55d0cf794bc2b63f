"""Waiting for the dashboard in headless Chromium, and reading its URL (dash[testing]'s dash_duo)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dash.testing.composite import DashComposite
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.components import TABLES_SHOWN_JS

TIMEOUT = 60


def rendered(dash_duo: DashComposite) -> None:
    """Content is on the page and no callback is still running."""
    wait = WebDriverWait(dash_duo.driver, TIMEOUT)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#content > *")) > 0)
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))


def url_query(dash_duo: DashComposite) -> dict[str, list[str]]:
    """The current URL's query: the view as the dashboard wrote it."""
    return parse_qs(urlparse(dash_duo.driver.current_url).query)



def open_table_views(dash_duo: DashComposite, css: str = "details.chart-table") -> None:
    """Opens the table views `css` selects (as a click on their summary does) and waits for their tables."""
    dash_duo.driver.execute_script(
        "document.querySelectorAll(arguments[0]).forEach(function (d) { d.open = true; })", css)
    tables_shown(dash_duo)


def tables_shown(dash_duo: DashComposite) -> None:
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: d.execute_script(TABLES_SHOWN_JS))
