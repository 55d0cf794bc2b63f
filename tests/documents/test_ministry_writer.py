"""The ministry workbook writer on hand-made data: sheets, numbers as numbers, formats, neutralised text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from reports.ministry_writer import SHEET_NAMES, write_workbook
from support.reports import ministry_data


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("ministry") / "ministry.xlsx"
    write_workbook(ministry_data(), out, generated_at=datetime(2023, 1, 5, 10, 0))
    return openpyxl.load_workbook(out)


def _find_row(sheet, first_cell: str) -> tuple:
    return next(row for row in sheet.iter_rows(values_only=True) if row[0] == first_cell)


def test_sheets(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == [SHEET_NAMES[k] for k in ("indicators", "sex", "targets", "metadata")]


def test_indicator_values_are_numbers_with_czech_grouping(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[SHEET_NAMES["indicators"]]
    row = next(r for r in sheet.iter_rows() if r[0].value == "O.2.3")
    assert row[3].value == 412 and isinstance(row[3].value, int)
    assert row[3].number_format == "#,##0"
    assert row[1].value.startswith("Účastníci") and row[2].value == "Participants supported"
    assert _find_row(sheet, "O.2.3.2")[3] == "<5"
    assert _find_row(sheet, "R.2.10")[3] == "x"
    assert _find_row(sheet, "MAJ")[3] == 55


def test_period_cells_are_dates(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[SHEET_NAMES["indicators"]]
    assert isinstance(sheet["B2"].value, datetime) and sheet["B2"].value.date().isoformat() == "2022-08-01"
    assert sheet["B2"].number_format == "d. m. yyyy"


def test_formula_like_text_is_neutralised(workbook: openpyxl.Workbook) -> None:
    texts = [c.value for s in workbook for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'-jiné" in texts and "'=other" in texts
    assert "'=HYPERLINK(\"x\")" in texts
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@")]
    # Nothing was stored as a formula cell.
    assert all(c.data_type != "f" for s in workbook for row in s.iter_rows() for c in row)


def test_targets_sheet(workbook: openpyxl.Workbook) -> None:
    row = _find_row(workbook[SHEET_NAMES["targets"]], "clients_reached")
    assert row[3] == 3000 and row[5] == 522
    assert row[6] == pytest.approx(522 / 1260.3)


def test_metadata(workbook: openpyxl.Workbook, tmp_path: Path) -> None:
    sheet = workbook[SHEET_NAMES["metadata"]]
    as_of = _find_row(sheet, "Data ke dni / Data as of")[1]
    assert as_of == datetime(2022, 10, 3, 9, 0)
    assert _find_row(sheet, "Počet dodávek / Deliveries used")[1] == 2
    assert "s varováními" in _find_row(sheet, "Kontrola kvality / Quality status")[1]
    assert _find_row(sheet, "clients_reached")[1].startswith("Oslovení klienti")
