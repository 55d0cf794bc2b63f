"""Text from deliveries is data on every output surface: never markup, a script or a formula.

A sample delivery is generated, then its free-text fields (branch `Pracoviště` of contacts and
courses, `Obec bydliště`, record IDs, cells the loader quarantines) are filled with hostile
payloads; the real loader, dbt build and quality gate publish it. Then every surface is read the
way its user reads it: dashboard pages and the quality pages it serves in headless Chromium,
the dashboard's CSV/XLSX downloads, `reach metrics --format csv`, the ministry workbook with
openpyxl, the board pack's PDF with poppler and its PPTX with python-pptx.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest
from dash.testing.composite import DashComposite
from pptx import Presentation
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.state.pages import PAGES
from dashboard.state.url import path_of
from pipelines.access import EVERYTHING
from pipelines.home import Home
from pipelines.metrics.protection import Protection
from pipelines.safe_text import FORMULA_STARTS, neutralise, plotly_text
from reach.dashboard import create_dashboard
from robustness._office import page_texts, squash
from support.access import start_signed_in

pytestmark = pytest.mark.slow

PAYLOADS = {
    "img": "<img src=x onerror=window.__pwned=1>",
    "script": "<script>window.__pwned=1</script>",
    "svg": '"><svg onload=window.__pwned=1;alert(1)>',
    "hyperlink": '=HYPERLINK("http://x.example","y")',
    "dde": "+cmd|' /C calc'!A0",
    "at": "@SUM(1)",
    "minus": "-2+3",
    "js_link": '<a href="javascript:window.__pwned=1">klik</a>',
    "bold": "<b>tučně</b> & <i>kurzíva</i>",
    "url": "https://x.example/prihlaseni",  # a spreadsheet writer may make it a live link
}
MARKUP = ("img", "script", "svg", "js_link", "bold")  # payloads that are HTML
FORMULAS = ("hyperlink", "dde", "at", "minus")  # payloads that a spreadsheet would evaluate
# Months of the sample (0-based) in which the payload branches deliver contacts: absent in month 2,
# so the gate's `branch_delivered_every_month` warning quotes each payload branch once.
PAYLOAD_MONTHS = (0, 1, 3)
# Each month a payload branch gets contacts of this many clients, none of whom it had before: with
# 9 people over the period the protected figures (cell key noise ±2, shown from 5 people) keep its row.
CONTACTS_PER_PAYLOAD = 3
PEOPLE_PER_PAYLOAD = len(PAYLOAD_MONTHS) * CONTACTS_PER_PAYLOAD
DUPLICATE_ID = PAYLOADS["svg"]  # a contact ID delivered twice: the gate quotes it (warning)
QUARANTINED = {"Datum": PAYLOADS["img"], "Délka (min)": PAYLOADS["hyperlink"]}  # cells the loader rejects
PERIOD = (date(2022, 8, 1), date(2022, 11, 30))
TIMEOUT = 60


# --- the hostile delivery, loaded and built by the real pipeline ---------------------------------------


def _rewrite(path: Path, change: Callable[[list[str], list[list[str]]], None]) -> None:
    """Rewrite a delivered CSV file: `change(header, rows)` edits the rows in place."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header, *rows = list(reader)
    change(header, rows)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _poison(months: list[Path]) -> None:
    payloads = list(PAYLOADS.values())
    people: dict[str, set[str]] = {payload: set() for payload in payloads}  # clients each branch has had

    def branches(header: list[str], rows: list[list[str]]) -> None:
        column, client = header.index("Pracoviště"), header.index("ID klienta")
        free = list(rows)
        for payload in payloads:
            for _ in range(CONTACTS_PER_PAYLOAD):
                row = next(r for r in free if r[client] not in people[payload])
                free.remove(row)
                row[column] = payload
                people[payload].add(row[client])

    for index in PAYLOAD_MONTHS:
        _rewrite(months[index] / "kontakty.csv", branches)

    def first_month_contacts(header: list[str], rows: list[list[str]]) -> None:
        template = rows[-1]
        for _ in range(2):  # the same contact ID twice in one delivery
            row = list(template)
            row[header.index("ID kontaktu")] = DUPLICATE_ID
            rows.append(row)
        for column, value in QUARANTINED.items():
            row = list(template)
            row[header.index("ID kontaktu")] = f"KQ-{header.index(column)}"
            row[header.index(column)] = value
            rows.append(row)

    _rewrite(months[0] / "kontakty.csv", first_month_contacts)

    def course_branch(header: list[str], rows: list[list[str]]) -> None:
        rows[0][header.index("Pracoviště")] = PAYLOADS["script"]

    _rewrite(months[0] / "kurzy.csv", course_branch)

    def municipalities(header: list[str], rows: list[list[str]]) -> None:
        column = header.index("Obec bydliště")
        for n, payload in enumerate(payloads):
            rows[n][column] = payload

    _rewrite(months[0] / "klienti.csv", municipalities)


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    from pipelines.generate import generate_sample
    from pipelines.ingest import load_paths
    from reach.build import build_warehouse
    from reach.commands.demo import deliveries_in

    root = tmp_path_factory.mktemp("hostile")
    sample = root / "sample"
    generate_sample(sample, clients=120, months=4, start=PERIOD[0], seed=11, messy=False)
    months = [Path(p) for p in deliveries_in(sample)]
    assert len(months) == 4
    _poison(months)
    home = Home(root / "home").ensure()
    load_paths(home, months, centre="ULK")
    build_warehouse(home)
    assert home.warehouse_db.exists(), "the hostile delivery did not publish a warehouse"
    return home


def _query(home: Home, sql: str) -> list[tuple]:
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _columns(home: Home, table: str) -> set[str]:
    return {name for (name,) in _query(home, f"SELECT column_name FROM information_schema.columns "
                                             f"WHERE table_name = '{table}'")}


def _published_branches(home: Home) -> set[str]:
    return {branch for (branch,) in _query(home, "SELECT DISTINCT branch FROM fct_contacts")}


def test_the_payloads_are_published_as_delivered(hostile_home: Home) -> None:
    """The surfaces below are only tested if the payloads reach them: they must survive as data."""
    assert set(PAYLOADS.values()) <= _published_branches(hostile_home)
    people = dict(_query(hostile_home, "SELECT branch, count(DISTINCT client_key) FROM fct_contacts GROUP BY branch"))
    # At least 7 people (a delivered contact may be a deletion): perturbed by at most 2, still 5, so shown.
    assert all(7 <= people[payload] <= PEOPLE_PER_PAYLOAD for payload in PAYLOADS.values()), people
    if "municipality" in _columns(hostile_home, "dim_client"):  # a field the warehouse may not store
        found = {m for (m,) in _query(hostile_home, "SELECT DISTINCT municipality FROM dim_client "
                                                    "WHERE municipality IS NOT NULL")}
        assert not found or set(PAYLOADS.values()) <= found
    quarantined = _query(hostile_home, "SELECT column_name, value FROM mart_quarantine WHERE kind = 'quarantine'")
    assert set(quarantined) >= set(QUARANTINED.items())  # the steward sees the cell as delivered


# --- GX Data Docs and the quality summary, as files ---------------------------------------------------


def _gx_page(home: Home, suite: str) -> Path:
    [page] = list((home.quality_dir / "gx_data_docs" / "validations" / suite).rglob("*.html"))
    return page


def test_gx_data_docs_hold_the_payloads_as_escaped_text(hostile_home: Home) -> None:
    from html import escape

    pages = {suite: _gx_page(hostile_home, suite).read_text(encoding="utf-8")
             for suite in ("mart_branch_months", "raw_contacts")}
    for name, payload in PAYLOADS.items():
        assert escape(payload, quote=True) in pages["mart_branch_months"], name  # each payload branch quoted
    assert escape(DUPLICATE_ID, quote=True) in pages["raw_contacts"]
    every_page = [p.read_text(encoding="utf-8") for p in (hostile_home.quality_dir).rglob("*.html")]
    for text in every_page:
        for name in MARKUP:
            assert PAYLOADS[name] not in text, name
        assert "<img src=x" not in text and "<script>" not in text and "<svg" not in text
        assert "reachtext" not in text  # no token of the escaping left behind


# --- the dashboard and the pages it serves, in Chromium -----------------------------------------------


def _rendered(dash_duo: DashComposite) -> None:
    wait = WebDriverWait(dash_duo.driver, TIMEOUT)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#content > *")) > 0)
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))


def _nothing_ran(driver) -> None:
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert fired: {text!r}")
    except NoAlertPresentException:
        pass
    assert driver.execute_script("return typeof window.__pwned") == "undefined"


def _injected_elements(driver) -> list[str]:
    """Elements that only a payload could have created."""
    return driver.execute_script("""
        const found = [];
        document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"]')
            .forEach(e => found.push(e.outerHTML.slice(0, 80)));
        document.querySelectorAll('script').forEach(s => {
            if ((s.textContent || '').includes('__pwned')) found.push(s.outerHTML.slice(0, 80));
        });
        document.querySelectorAll('.js-plotly-plot a')
            .forEach(e => found.push('plot link ' + e.outerHTML.slice(0, 80)));
        return found;
    """)


def _plot_texts(driver, chart_id: str) -> list[str]:
    """The tick labels of one chart (null until it is drawn)."""
    return driver.execute_script("""
        const graph = Array.from(document.querySelectorAll('.dash-graph'))
            .find(e => e.id.includes('"chart":"' + arguments[0] + '"'));
        const ticks = graph ? Array.from(graph.querySelectorAll('.ytick text')).map(t => t.textContent) : [];
        return ticks.length ? ticks : null;
    """, chart_id)


@pytest.fixture
def board(dash_duo: DashComposite, hostile_home: Home) -> DashComposite:
    start_signed_in(dash_duo, create_dashboard(hostile_home), hostile_home)
    return dash_duo


@pytest.mark.browser
def test_every_dashboard_page_shows_the_payloads_as_text_and_runs_nothing(board: DashComposite) -> None:
    for page in PAGES:
        board.driver.get(board.server_url + path_of(page))
        _rendered(board)
        _nothing_ran(board.driver)
        assert _injected_elements(board.driver) == [], page
    # The branch chart's labels and the completeness heatmap's rows are the payloads, as written.
    for page, chart in (("services", "services-branch"), ("quality", "quality-completeness")):
        board.driver.get(board.server_url + path_of(page))
        _rendered(board)
        WebDriverWait(board.driver, TIMEOUT).until(lambda d, c=chart: _plot_texts(d, c))
        labels = _plot_texts(board.driver, chart)
        for name, payload in PAYLOADS.items():
            assert payload in labels, (chart, name, labels)
        bold = board.driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot tspan'))"
            ".filter(t => (t.getAttribute('style') || '').includes('bold')).map(t => t.textContent)")
        assert "tučně" not in bold  # <b> stayed text, not bold type
        _nothing_ran(board.driver)
    # The quality page's tables quote the gate's failing samples: text, as written.
    body = board.driver.find_element(By.TAG_NAME, "body").text
    assert PAYLOADS["img"] in body
    assert board.get_logs() == []


def _served(board: DashComposite, path: str) -> tuple[str, dict[str, str]]:
    """The page as the signed-in browser is served it: its cookies and User-Agent (the session is bound to it)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in board.driver.get_cookies())
    agent = board.driver.execute_script("return navigator.userAgent")
    request = urllib.request.Request(board.server_url + path, headers={"Cookie": cookies, "User-Agent": agent})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.status == 200 and response.url == board.server_url + path, (path, response.url)
        return response.read().decode("utf-8"), dict(response.headers)


@pytest.mark.browser
def test_quality_pages_served_by_the_dashboard_show_the_payloads_and_run_nothing(
        board: DashComposite, hostile_home: Home) -> None:
    pages = ["/quality/data_docs/index.html", "/quality/gx_data_docs/index.html"]
    for suite in ("mart_branch_months", "raw_contacts"):
        pages.append("/quality/" + _gx_page(hostile_home, suite).relative_to(hostile_home.quality_dir).as_posix())
    for path in pages:
        _, headers = _served(board, path)
        assert "script-src 'none'" in headers["Content-Security-Policy"], path
        board.driver.get(board.server_url + path)
        WebDriverWait(board.driver, TIMEOUT).until(lambda d: d.execute_script("return document.readyState")
                                                   == "complete")
        _nothing_ran(board.driver)
        assert _injected_elements(board.driver) == [], path
    text = board.driver.find_element(By.TAG_NAME, "body").text  # the raw_contacts page
    assert DUPLICATE_ID in text
    board.driver.get(board.server_url + pages[2])
    text = board.driver.find_element(By.TAG_NAME, "body").text
    for name, payload in PAYLOADS.items():
        assert payload in text, name


@pytest.mark.browser
def test_the_quality_route_policy_stops_a_script_even_in_unescaped_markup(
        board: DashComposite, hostile_home: Home) -> None:
    """Defence in depth: a page under /quality/ that did hold live markup still runs nothing."""
    probe = hostile_home.quality_dir / "probe.html"
    probe.write_text(f"<!DOCTYPE html><html><body><p>probe</p>{PAYLOADS['script']}{PAYLOADS['img']}"
                     f"<div>{PAYLOADS['svg']}</div></body></html>", encoding="utf-8")
    try:
        board.driver.get(board.server_url + "/quality/probe.html")
        board.wait_for_text_to_equal("p", "probe", timeout=TIMEOUT)
        time.sleep(0.5)  # an onerror handler fires once the image fails to load
        _nothing_ran(board.driver)
    finally:
        probe.unlink()


# --- CSV, XLSX ----------------------------------------------------------------------------------------


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell.lstrip(" \u00a0\u3000").startswith(FORMULA_STARTS)
            and neutralise(cell) != cell]


@pytest.mark.browser
def test_the_chart_csv_download_has_no_formula_cells(board: DashComposite) -> None:
    board.driver.get(board.server_url + path_of("services"))
    _rendered(board)
    button = board.driver.find_element(By.CSS_SELECTOR, "[id*='\"chart\":\"services-branch\"'][id*='\"fmt\":\"csv\"']")
    button.click()
    folder = Path(board.download_path)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not list(folder.glob("services-branch_*.csv")):
        time.sleep(0.3)
    [download] = list(folder.glob("services-branch_*.csv"))
    rows = list(csv.reader(io.StringIO(download.read_text(encoding="utf-8-sig"))))
    assert _formula_cells(rows) == []
    cells = {cell for row in rows for cell in row}
    for name in FORMULAS:
        assert "'" + PAYLOADS[name] in cells, name  # neutralised, the text kept
    for name in MARKUP:
        assert PAYLOADS[name] in cells, name  # CSV is not HTML: markup text stays as delivered
    assert any(re.fullmatch(r"\d+", cell) for cell in cells)  # the figures stay plain numbers


def test_reach_metrics_csv_has_no_formula_cells(hostile_home: Home) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reach.cli", "--home", str(hostile_home.root), "metrics",
         "--from", PERIOD[0].isoformat(), "--to", PERIOD[1].isoformat(), "--metric", "contacts",
         "--metric", "service_hours", "--by", "branch", "--format", "csv"],
        capture_output=True, text=True, check=True)
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["branch", "contacts", "service_hours"]
    assert _formula_cells(rows) == []
    branches = [row[0] for row in rows[1:]]
    for name in FORMULAS:
        assert "'" + PAYLOADS[name] in branches, name
    assert all(re.fullmatch(r"\d+(\.\d+)?|<5|x", row[1]) for row in rows[1:])  # numbers stay numbers


def test_the_chart_xlsx_export_holds_text_not_formulas_or_links(hostile_home: Home) -> None:
    from dashboard.callbacks import Board
    from dashboard.data import WarehouseSource
    from dashboard.exports import export_table, to_xlsx
    from dashboard.pages import chart_by_id
    from dashboard.state.url import ViewState
    from pipelines.targets import load_targets

    board = Board(WarehouseSource(hostile_home), load_targets(), None)
    view = ViewState(page="services", preset="custom", custom_from=PERIOD[0], custom_to=PERIOD[1])
    chart = chart_by_id("services-branch")
    table = export_table(chart.load(board.context(view, Protection.PROTECTED, EVERYTHING)).published, "cs")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(table, chart.id, "cs")))
    _assert_text_cells(book, expect=[neutralise(p) for p in PAYLOADS.values()])


def _assert_text_cells(book: openpyxl.Workbook, expect: list[str]) -> None:
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.coordinate for c in cells if c.hyperlink is not None] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert _formula_cells([list(texts)]) == []
    for value in expect:
        assert value in texts, value


# --- the reports: ministry workbook, board pack PDF and PPTX -----------------------------------------


def _report(home: Home, kind: str, out: Path) -> Path:
    from reach.cli import main

    assert main(["--home", str(home.root), "report", kind, "--from", PERIOD[0].isoformat(),
                 "--to", PERIOD[1].isoformat(), "--out", str(out)]) == 0
    return out


def test_the_ministry_workbook_holds_no_formula_or_link(hostile_home: Home, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_report(hostile_home, "ministry", tmp_path / "ministry.xlsx"))
    _assert_text_cells(book, expect=[])
    with zipfile.ZipFile(tmp_path / "ministry.xlsx") as archive:
        names = archive.namelist()
        assert not [n for n in names if "externalLink" in n or (n.endswith(".rels") and b"hyperlink" in
                    archive.read(n))]
        xml = b"".join(archive.read(n) for n in names if n.endswith(".xml"))
    for name in MARKUP + FORMULAS:
        assert PAYLOADS[name].encode() not in xml, name  # no delivery text reaches the ministry's figures


def test_the_board_pack_pdf_has_no_script_no_links_and_data_as_text(hostile_home: Home, tmp_path: Path) -> None:
    pdf = _report(hostile_home, "board", tmp_path / "board.pdf")
    raw = pdf.read_bytes()
    for marker in (b"/JavaScript", b"/JS", b"/URI", b"/Launch", b"/OpenAction", b"/AA", b"/Annot"):
        assert marker not in raw, marker
    text = squash(" ".join(page_texts(pdf, layout=False)))
    for name in MARKUP + FORMULAS:
        assert squash(PAYLOADS[name]) not in text, name  # the pack shows coded dimensions only


def test_the_board_pack_writers_print_text_as_text(hostile_home: Home, tmp_path: Path) -> None:
    """The pack's free-text slots (highlights) given the payloads: PDF and PPTX print them literally."""
    from pipelines.metrics import open_warehouse
    from pipelines.targets import load_targets
    from reports.board.charts import build_figures, render
    from reports.board.data import gather_board
    from reports.board.pdf import write_pdf
    from reports.board.pptx import write_pptx

    con = open_warehouse(hostile_home)
    try:
        data = gather_board(con, load_targets(), *PERIOD, scope=EVERYTHING)
    finally:
        con.close()
    charts = {c.key: c for c in render(build_figures(data, "cs"), tmp_path / "charts", "cs")}
    sentences = list(PAYLOADS.values())
    pdf = write_pdf(data, charts, sentences, "cs", tmp_path / "board.pdf")
    raw = pdf.read_bytes()
    assert b"/URI" not in raw and b"/JavaScript" not in raw and b"/Annot" not in raw
    text = squash(" ".join(page_texts(pdf, layout=False)))
    for name, payload in PAYLOADS.items():
        assert squash(payload) in text, name
    pptx = write_pptx(data, charts, sentences, "cs", tmp_path / "board.pptx")
    runs = [run for slide in Presentation(str(pptx)).slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert [run.text for run in runs if run.hyperlink.address] == []
    texts = [run.text for run in runs]
    for name, payload in PAYLOADS.items():
        assert f"• {payload}" in texts, name
    with zipfile.ZipFile(pptx) as archive:
        rels = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".rels"))
    assert b"hyperlink" not in rels


def test_plotly_text_escapes_exactly_what_plotly_reads_as_markup() -> None:
    assert plotly_text(PAYLOADS["bold"]) == "&lt;b&gt;tučně&lt;/b&gt; &amp; &lt;i&gt;kurzíva&lt;/i&gt;"
    assert plotly_text('"quoted"') == '"quoted"'  # Plotly does not decode &quot;


def test_gx_tokens_come_back_escaped_and_a_cut_token_stops_the_page() -> None:
    from expectations.gx_docs import _DataText

    text = _DataText()
    token = text.token(PAYLOADS["svg"])
    assert token.isalnum() and text.token(PAYLOADS["svg"]) == token  # one token per text: GX's counts hold
    assert text.fill(f'<td title="{token}">{token}</td>') == (
        '<td title="&quot;&gt;&lt;svg onload=window.__pwned=1;alert(1)&gt;">'
        "&quot;&gt;&lt;svg onload=window.__pwned=1;alert(1)&gt;</td>")
    with pytest.raises(RuntimeError, match="changed a data token"):
        text.fill(f"<td>{token[:-3]}</td>")
