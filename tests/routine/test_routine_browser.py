"""The monthly routine in headless Chromium (issue 15, Must show): an analyst uploads a messy delivery,
sees the summary and the quarantine of `reach load`, publishes from the browser and the Overview
changes; refused uploads say why; a coordinator has no Deliveries page."""

from __future__ import annotations

from pathlib import Path

import pytest
from dash.testing.composite import DashComposite
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from charts.figures import format_value
from pipelines.access import Scope
from pipelines.formatting import fmt_int
from pipelines.generate import generate_sample
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.targets import load_targets
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.quality import copy_home

pytestmark = pytest.mark.browser
TIMEOUT = 60
BUILD_TIMEOUT = 600  # dbt and the gate on a shared machine


def _waiter(driver, timeout: float) -> WebDriverWait:
    """A wait that reads again when the page redraws what it was reading (the progress is polled)."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def _wait(board: DashComposite, css: str, timeout: float = TIMEOUT):
    return _waiter(board.driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def _text(board: DashComposite, css: str, contains: str, timeout: float = TIMEOUT) -> str:
    # The texts are read in one script: the status is redrawn at each build step, so an element
    # found by one lookup can be gone by the next (a faster build made CI hit a stale element).
    def found(driver: object) -> str | None:
        texts = board.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText)", css)
        return next((t.strip() for t in texts if contains in t), None)

    return str(_waiter(board.driver, timeout).until(found))


def _open(board: DashComposite, path: str) -> None:
    board.driver.get(board.server.url + path)
    _wait(board, "#content > *")


def _upload(board: DashComposite, paths: list[Path]) -> None:
    chooser = _wait(board, "#upload-files")[0]
    chooser.send_keys("\n".join(str(p) for p in paths))
    board.find_element("#upload-submit").click()


def _kpi(board: DashComposite, metric: str) -> str:
    return _wait(board, f"#kpi-value-{metric}")[0].text


def _table(board: DashComposite, css: str) -> list[list[str]]:
    """The table's cells as the user reads them, in one script: the status may be redrawn between two
    element lookups (CI: a stale element), never in the middle of one script."""
    return board.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))"
        ".map(row => Array.from(row.querySelectorAll('td')).map(cell => cell.innerText.trim()));", css)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    out = tmp_path / "messy"
    generate_sample(out, clients=120, months=2, seed=11, messy=True)
    return out


def test_an_analyst_uploads_reviews_and_publishes_and_the_overview_changes(
        dash_duo: DashComposite, published_home: Home, messy: Path, tmp_path: Path, monkeypatch) -> None:
    home = copy_home(published_home, tmp_path / "home")
    monkeypatch.setenv("REACH_UPLOAD_MAX_MB", "0.001")  # ~1 kB: any delivery is too large
    start_signed_in(dash_duo, create_dashboard(home), home, "analyst")
    _open(dash_duo, "/")
    before = _kpi(dash_duo, "clients_reached")
    folder = next(p for p in sorted(messy.iterdir()) if p.is_dir())
    zipped = next(p for p in sorted(messy.iterdir()) if p.suffix == ".zip")

    # Too large (checked in the page before sending, and by the server) and the wrong type (the server's word).
    _open(dash_duo, "/deliveries")
    _upload(dash_duo, [zipped])
    assert "limit" in _text(dash_duo, "#upload-message", "Nahrání odmítnuto")
    monkeypatch.delenv("REACH_UPLOAD_MAX_MB")
    not_export = tmp_path / "report.pdf"
    not_export.write_bytes(b"%PDF-1.4")
    _open(dash_duo, "/deliveries")
    _upload(dash_duo, [not_export])
    assert "not a file of the export format" in _text(dash_duo, "#upload-message", "report.pdf")

    # A delivery of several dialects and an XLSX, then a zip: the summary and quarantine of `reach load`.
    cli = {r.delivery_id: r for r in load_paths(Home(tmp_path / "cli"), [folder, zipped], centre="ULK")}
    shown: dict[str, list[list[str]]] = {}
    for paths in ([p for p in sorted(folder.iterdir()) if p.is_file()], [zipped]):
        _open(dash_duo, "/deliveries")
        _upload(dash_duo, paths)
        # The page shows the user's last upload until this one's summary replaces it.
        _waiter(dash_duo.driver, 180).until(lambda d: any(
            i[:12] in e.text and i not in shown for e in d.find_elements(By.CSS_SELECTOR, "#summary-0 h3")
            for i in cli))
        heading = dash_duo.find_element("#summary-0 h3").text
        ident = next(i for i in cli if i[:12] in heading)
        shown[ident] = _table(dash_duo, "#summary-files-0")
        report = cli[ident]
        expected = sorted([f.file_name, fmt_int(f.rows_read), fmt_int(f.rows_loaded), fmt_int(f.rows_quarantined)]
                          for f in report.files)
        assert sorted([r[0], r[4], r[5], r[6]] for r in shown[ident][:-1]) == [
            [name, *[v.replace(" ", " ") for v in values]] for name, *values in expected]
        if report.rows_quarantined:
            count = dash_duo.find_element("#quarantine-count-0").text
            assert count.endswith(f"{fmt_int(report.rows_quarantined).replace(' ', ' ')} řádků.") or \
                str(report.rows_quarantined) in count
            rows = _table(dash_duo, "#quarantine-0")
            assert rows and all(len(r) == 5 for r in rows)
            column = rows[0][2]
            dash_duo.find_element("#summary-0 .quarantine input").send_keys(column + "\n")
            _waiter(dash_duo.driver, TIMEOUT).until(
                lambda d, c=column: all(c in " ".join(r) for r in _table(dash_duo, "#quarantine-0")))
    assert set(shown) == set(cli)
    assert any(r.rows_quarantined for r in cli.values()), "the messy sample should quarantine rows"

    # Publish from the browser: the gate's outcome, then the Overview shows the new build's figures.
    dash_duo.find_element("#build-start").click()
    _text(dash_duo, "#build-status", "Sestavení běží")
    # While it runs: the step it is at (reach/build.py's reports) and a bar over the steps that names it.
    step = _text(dash_duo, "#build-step", " z 4: ", BUILD_TIMEOUT)
    assert step.startswith("Krok ")
    [bar] = _waiter(dash_duo.driver, TIMEOUT).until(lambda d: [
        (e.tag_name, e.get_attribute("max"), e.get_attribute("aria-labelledby"))
        for e in d.find_elements(By.CSS_SELECTOR, "#build-step-bar")])
    assert bar == ("progress", "4", "build-step")
    outcome = _text(dash_duo, "#build-outcome", "Publikováno", BUILD_TIMEOUT)
    assert "Quality gate" in outcome
    assert dash_duo.find_element("#kpi-value-build-gate").text == "prošla"
    _open(dash_duo, "/")
    after = _kpi(dash_duo, "clients_reached")
    targets = load_targets()
    con = open_warehouse(home)
    try:
        published = compute(con, MetricQuery(date_from=targets.period_from, date_to=targets.period_to,
                                             metrics=("clients_reached",), scope=Scope(frozenset({"ULK"}))))
    finally:
        con.close()
    assert after != before
    assert after == format_value(published.frame["clients_reached"][0], published.flags["clients_reached"][0], "cs")
    assert [e for e in dash_duo.get_logs() if "status of 4" not in e["message"]] == []


def test_a_coordinator_has_no_deliveries_page(dash_duo: DashComposite, published_home: Home, tmp_path: Path) -> None:
    home = copy_home(published_home, tmp_path / "home")
    start_signed_in(dash_duo, create_dashboard(home), home, "coordinator")
    _open(dash_duo, "/")
    assert not dash_duo.driver.find_elements(By.ID, "nav-deliveries")
    dash_duo.driver.get(dash_duo.server.url + "/deliveries")
    assert "Přístup odepřen" in dash_duo.driver.find_element(By.TAG_NAME, "h1").text
