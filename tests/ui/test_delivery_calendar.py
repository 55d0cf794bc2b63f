"""The delivery calendar on the Data quality page and the incomplete-figures notice on the figures
pages: from a hand-made home of two centres (LBK has not delivered February 2023) and from the
sample home built by the real pipeline, rendered on the server and in a real headless Chromium."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import duckdb
import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.callbacks import Board
from dashboard.data import WarehouseSource
from dashboard.delivery_calendar import incomplete_notice, status_text
from dashboard.pages import quality
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING, Scope
from pipelines.delivery_calendar import delivery_calendar
from pipelines.home import Home
from pipelines.metrics import open_warehouse
from pipelines.metrics.catalogue import month_label
from pipelines.metrics.protection import Protection
from pipelines.reference.centres import known_codes
from pipelines.targets import load_targets
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.marts import MartBuilder, home_with_marts
from support.raw_rows import Delivery as RawDelivery
from support.raw_rows import client, write_raw

TIMEOUT = 60
QUARTER = "?preset=custom&from=2023-01-01&to=2023-03-31"
# centre, load, month of its contact, loaded at; LBK delivers January and March, not February.
LOADS = [("ULK", 1, 1, datetime(2023, 2, 5, 9)), ("LBK", 2, 1, datetime(2023, 2, 6, 9)),
         ("ULK", 3, 2, datetime(2023, 3, 5, 9)), ("ULK", 4, 3, datetime(2023, 4, 5, 9)),
         ("LBK", 5, 3, datetime(2023, 4, 6, 9))]


@pytest.fixture(scope="module")
def two_centres(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """Marts of the figures (MartBuilder), the raw layer of the deliveries and the build's mart_deliveries."""
    root = tmp_path_factory.mktemp("two-centres")
    marts = MartBuilder("ULK")
    raw: list[RawDelivery] = []
    for centre, seq, month, _ in LOADS:
        marts.centre = centre
        person = f"{centre.lower()}{seq}"
        day = date(2023, month, 9)
        marts.client(person, registered_on=day).contact(f"c{seq}", person, day)
        delivery = RawDelivery(seq, centre)
        client(delivery, person, registered_on=day)
        delivery.add("contacts", contact_id=f"c{seq}", client_id=person, contact_date=day,
                     service="social_counselling", deleted=False)
        raw.append(delivery)
    home = home_with_marts(root / "home", marts)
    write_raw(home, *raw)
    with duckdb.connect(str(home.warehouse_db)) as con:
        con.execute("CREATE TABLE mart_deliveries (delivery_id VARCHAR, centre VARCHAR, load_seq BIGINT, "
                    "loaded_at TIMESTAMP)")
        con.executemany("INSERT INTO mart_deliveries VALUES (?, ?, ?, ?)",
                        [[d.delivery_id, d.centre, d.load_seq, at] for d, (*_, at) in zip(raw, LOADS, strict=True)])
    return home


def _context(home: Home, page: str = "/", search: str = QUARTER, scope: Scope = EVERYTHING):
    board = Board(WarehouseSource(home), load_targets(), None)
    return board.context(parse_view(page, search), Protection.PROTECTED, scope)


def test_the_notice_names_the_centres_and_months_not_delivered(two_centres: Home) -> None:
    both = Scope(frozenset({"ULK", "LBK"}))
    (box,) = incomplete_notice(_context(two_centres, scope=both))
    assert box.children == ("Neúplné údaje: ve vybraném období zatím chybí dodávky LBK (úno 2023). Údaje těchto "
                            "měsíců jsou neúplné (kalendář dodávek na stránce Kvalita dat).")
    (box,) = incomplete_notice(_context(two_centres, search=QUARTER + "&lang=en", scope=both))
    assert box.children.startswith("Incomplete figures") and "LBK (Feb 2023)." in box.children
    # The national view: several centres delivered, so the twelve that never did are missing too.
    (box,) = incomplete_notice(_context(two_centres))
    others = ", ".join(code for code in known_codes() if code not in ("ULK", "LBK"))
    assert f"dodávky {others} (led 2023, úno 2023, bře 2023); LBK (úno 2023)." in box.children
    # A period of the months LBK delivered, or a user who sees only ULK: nothing is missing.
    assert incomplete_notice(_context(two_centres, search="?preset=month&pv=2023-03", scope=both)) == []
    assert incomplete_notice(_context(two_centres, scope=Scope(frozenset({"ULK"})))) == []


def test_the_quality_page_shows_the_rows_of_the_users_centres(two_centres: Home) -> None:
    everything = str(quality.header(_context(two_centres, "/quality")))
    assert all(f"delivery-row-{code}" in everything for code in known_codes())  # several centres: all of them
    ulk = str(quality.header(_context(two_centres, "/quality", scope=Scope(frozenset({"ULK"}), frozenset({"CZ0427"})))))
    assert "delivery-row-ULK" in ulk and "delivery-row-LBK" not in ulk and "delivery-row-PHA" not in ulk
    assert "Kdo dodal data" in ulk and ulk.count("delivery-on_time") == 3  # ULK: all three months on time
    assert "delivery-late" not in ulk and "delivery-missing" not in ulk


def _reach_metrics(home: Home, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reach.cli", "--home", str(home.root), "metrics", "--from", "2023-01-01",
               "--to", "2023-03-31", "--metric", "contacts", *options]
    return subprocess.run(command, capture_output=True, text=True, check=True)


def test_reach_metrics_says_which_months_are_incomplete(two_centres: Home) -> None:
    done = _reach_metrics(two_centres, "--where", "centre=LBK")
    assert "Incomplete figures: not yet delivered: LBK 2023-02." in done.stderr
    assert "Neúplné údaje: zatím nedodáno: LBK 2023-02." in done.stderr
    assert done.stdout.splitlines()[0] == "contacts"  # the figures themselves are unchanged (stdout)
    assert "Incomplete" not in _reach_metrics(two_centres, "--where", "centre=ULK").stderr
    assert "PHA 2023-01, 2023-02, 2023-03" in _reach_metrics(two_centres).stderr  # national: all centres


@pytest.mark.browser
def test_the_notice_shows_on_the_overview(dash_duo: DashComposite, two_centres: Home) -> None:
    start_signed_in(dash_duo, create_dashboard(two_centres), two_centres, path="/" + QUARTER)
    dash_duo.driver.get(dash_duo.server_url)
    dash_duo.wait_for_contains_text("#incomplete-notice", "LBK (úno 2023)", timeout=TIMEOUT)
    assert dash_duo.get_logs() == []


@pytest.mark.browser
def test_the_calendar_shows_on_the_quality_page(dash_duo: DashComposite, published_home: Home) -> None:
    """The sample home: ULK's six months, each cell as pipelines.delivery_calendar gives it, Czech then English."""
    con = open_warehouse(published_home)
    try:
        expected = delivery_calendar(published_home, con)
    finally:
        con.close()
    assert expected.centres == ("ULK",) and len(expected.months) == 6
    start_signed_in(dash_duo, create_dashboard(published_home), published_home, path="/quality")
    driver = dash_duo.driver
    for lang in ("cs", "en"):
        driver.get(dash_duo.server_url + ("?lang=en" if lang == "en" else ""))
        table = WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, "delivery-calendar"))
        caption = table.find_element(By.TAG_NAME, "caption").text
        assert caption.startswith("Dodávky center po měsících" if lang == "cs" else "The centres' deliveries")
        columns = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th[scope='col']")]
        assert columns[1:] == [month_label(m.strftime("%Y-%m"), lang) for m in expected.months]
        (row,) = table.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert row.find_element(By.CSS_SELECTOR, "th[scope='row']").text == "ULK"
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        assert cells == [status_text(expected.cell("ULK", m), lang) for m in expected.months]
    assert dash_duo.get_logs() == []


def test_the_build_records_what_its_deliveries_brought(published_home: Home) -> None:
    """The calendar is read from the build file's delivery_months, the same as the raw layer gives it."""
    from pipelines.delivery_calendar import BROUGHT_TABLE, brought_months, included_deliveries, read_deliveries

    con = open_warehouse(published_home)
    try:
        rows = con.execute(f"SELECT count(*) FROM {BROUGHT_TABLE}").fetchall()[0][0]
        recorded = read_deliveries(published_home, con)
        from_raw = brought_months(published_home.raw_db, included_deliveries(con))
    finally:
        con.close()
    assert rows > 0 and list(recorded.brought) == from_raw


def test_the_overview_shows_the_calendar_to_those_who_see_several_centres_but_not_data_quality(
        two_centres: Home) -> None:
    from dashboard.delivery_calendar import overview_calendar

    national = overview_calendar(_context(two_centres), may_open_quality=False)  # the ministry
    assert len(national) == 1 and "delivery-row-LBK" in str(national[0]) and "delivery-row-PHA" in str(national[0])
    assert overview_calendar(_context(two_centres), may_open_quality=True) == []  # it is on their Data quality
    one_centre = _context(two_centres, scope=Scope(frozenset({"ULK"})))
    assert overview_calendar(one_centre, may_open_quality=False) == []  # one centre: the Overview as it was


def test_the_ministry_gets_the_calendar_on_the_overview_through_the_app(two_centres: Home) -> None:
    from support import callbacks
    from support.access import signed_in_client

    app = create_dashboard(two_centres)
    ministry = signed_in_client(app, two_centres, "ministry")
    answer = callbacks.render(app, ministry, "overview", QUARTER, [])
    assert "delivery-row-LBK" in str(answer) and "delivery-row-ULK" in str(answer)
    coordinator = signed_in_client(app, two_centres, "coordinator")  # ULK only
    assert "delivery-calendar" not in str(callbacks.render(app, coordinator, "overview", QUARTER, []))
