"""Each role in headless Chromium: sign in through the form, what the role sees, a refused page, sign-out,
and the end of a session after inactivity."""

from __future__ import annotations

import time

import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.state.pages import PAGES, page_allowed
from pipelines.access import Role
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.access import PASSWORD, ensure_account, start_signed_in

from .conftest import short_sessions

pytestmark = pytest.mark.browser
TIMEOUT = 60
SESSION_SECONDS = 10
REFUSED = {"analyst": "/admin", "coordinator": "/quality", "board": "/reach", "ministry": "/quality"}
REPORT_BUTTONS = {"board": {"report-board-pdf", "report-board-pptx"}, "ministry": {"report-ministry-xlsx"}}
ALL_REPORTS = {"report-board-pdf", "report-board-pptx", "report-ministry-xlsx"}


def _wait(dash_duo: DashComposite, css: str):
    return WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def _rendered(dash_duo: DashComposite) -> None:
    _wait(dash_duo, "#content > *")
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_signs_in_sees_its_own_frame_is_refused_a_page_and_signs_out(
        dash_duo: DashComposite, access_home: Home, role: str) -> None:
    start_signed_in(dash_duo, create_dashboard(access_home), access_home, role)
    _rendered(dash_duo)
    driver = dash_duo.driver
    links = {e.get_attribute("id").removeprefix("nav-") for e in _wait(dash_duo, "#nav a")}
    assert links == {p for p in PAGES if page_allowed(p, Role(role))}
    switch = driver.find_elements(By.CSS_SELECTOR, "#privacy input[type='checkbox']")
    assert bool(switch) == Role(role).may_switch_protection
    shown = {b.get_attribute("id") for b in driver.find_elements(By.CSS_SELECTOR, ".report-bar button")
             if b.is_displayed()}
    assert shown == REPORT_BUTTONS.get(role, ALL_REPORTS)
    # The card's download buttons only: the trace button sits beside them for every role.
    exports = driver.find_elements(By.CSS_SELECTOR, "#content .exports .btn-export")
    assert bool(exports) == Role(role).may_export_charts
    assert f"test-{role} ({role})" in dash_duo.find_element("#account-name").text
    if role in REFUSED:
        driver.get(dash_duo.server.url + REFUSED[role] + "?lang=en")
        assert "Access refused" in driver.find_element(By.TAG_NAME, "h1").text
        assert f"Your role ({role})" in driver.find_element(By.TAG_NAME, "main").text
        driver.get(dash_duo.server.url + "/")
        _rendered(dash_duo)
    dash_duo.find_element("#sign-out").click()
    WebDriverWait(driver, TIMEOUT).until(lambda d: "/sign-in" in d.current_url)
    assert "Byli jste odhlášeni." in driver.find_element(By.TAG_NAME, "main").text
    driver.get(dash_duo.server.url + "/")
    assert driver.find_elements(By.ID, "password")  # signed out: the dashboard asks again
    # The refused page's own 403 is the only thing the browser may report.
    assert [e for e in dash_duo.get_logs() if "status of 403" not in e["message"]] == []


def test_a_session_ends_after_inactivity_and_the_page_says_so(dash_duo: DashComposite, access_home: Home) -> None:
    # Long enough that a loaded machine's gaps between one page's requests never end the session
    # (CI: the page after signing in again never rendered with 3 s), short enough to wait for.
    app = create_dashboard(access_home, short_sessions(access_home, SESSION_SECONDS))
    start_signed_in(dash_duo, app, access_home, "coordinator")
    _rendered(dash_duo)
    time.sleep(SESSION_SECONDS + 2)
    dash_duo.find_element("#nav-reach").click()  # the callback is refused (401) and the page reloads
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: d.find_elements(By.ID, "password"))
    assert "po době nečinnosti" in dash_duo.driver.find_element(By.TAG_NAME, "main").text
    # Signing in again lands on the page that was asked for.
    dash_duo.driver.find_element(By.ID, "name").send_keys(ensure_account(access_home, "coordinator"))
    dash_duo.driver.find_element(By.ID, "password").send_keys(PASSWORD)
    dash_duo.driver.find_element(By.ID, "sign-in-submit").click()
    _rendered(dash_duo)
    assert dash_duo.driver.current_url.split("?")[0].endswith("/reach")
