"""Reports downloaded from the dashboard equal `reach report` for the same period."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from dash.testing.composite import DashComposite

from dashboard.callbacks import Board
from dashboard.data import WarehouseSource
from dashboard.report_downloads import report_file
from dashboard.state.url import ViewState, to_search
from pipelines.access import EVERYTHING
from pipelines.home import Home
from pipelines.targets import load_targets
from reach.cli import main
from reach.dashboard import WRITERS, create_dashboard
from reports.ministry_writer import SHEET_NAMES
from support.access import start_signed_in
from support.readback import pdf_text

pytestmark = pytest.mark.slow


def _indicators(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)[SHEET_NAMES["indicators"]]
    return {row[0]: row[3] for row in sheet.iter_rows(values_only=True) if row[0]}


def test_ministry_download_equals_the_cli_workbook(published_home: Home, tmp_path: Path) -> None:
    board = Board(WarehouseSource(published_home), load_targets(), None)
    search = to_search(ViewState(preset="month", period_value="2022-10"))
    content, name = report_file(board, WRITERS, "report-ministry-xlsx", "/", search, EVERYTHING)
    assert name == "ministry_amif-2021-2027_20221001-20221031.xlsx"
    downloaded = tmp_path / name
    downloaded.write_bytes(content)

    from_cli = tmp_path / "cli.xlsx"
    assert main(["--home", str(published_home.root), "report", "ministry", "--from", "2022-10-01",
                 "--to", "2022-10-31", "--out", str(from_cli)]) == 0
    indicators = _indicators(downloaded)
    assert "O.2.3" in indicators and indicators == _indicators(from_cli)


def test_board_download_is_the_pack_in_the_view_language(published_home: Home, tmp_path: Path) -> None:
    board = Board(WarehouseSource(published_home), load_targets(), None)
    search = to_search(ViewState(preset="custom", custom_from=date(2022, 8, 1), custom_to=date(2022, 12, 31),
                                 lang="en"))
    content, name = report_file(board, WRITERS, "report-board-pdf", "/", search, EVERYTHING)
    assert name == "board_20220801-20221231.pdf" and content.startswith(b"%PDF")
    pdf = tmp_path / name
    pdf.write_bytes(content)
    text = pdf_text(pdf)
    assert "Clients reached" in text and "Oslovení klienti" not in text


@pytest.mark.browser
def test_the_report_button_downloads_a_workbook(dash_duo: DashComposite, published_home: Home) -> None:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home)
    dash_duo.wait_for_text_to_equal("#report-ministry-xlsx", "Indikátory pro ministerstvo (XLSX)", timeout=60)
    dash_duo.find_element("#report-ministry-xlsx").click()
    folder = Path(dash_duo.download_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(folder.glob("ministry_*.xlsx")):
        time.sleep(0.5)
    downloaded = list(folder.glob("ministry_*.xlsx"))
    error = dash_duo.find_element("#report-error").text
    assert len(downloaded) == 1, (f"no workbook after 120 s; the page says {error!r}, "
                                  f"the folder holds {[p.name for p in folder.iterdir()]}")
    [workbook] = downloaded
    assert "O.2.3" in _indicators(workbook)
