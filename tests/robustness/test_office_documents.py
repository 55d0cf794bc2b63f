"""The ministry workbook and the board pack in a real office suite: LibreOffice headless prints them.

The documents are made by `reach report` from the warehouse the real pipeline built (the shared
`published_home`), converted with `soffice --headless --convert-to pdf` and read back with
poppler (pdfinfo, pdftotext): pages, the words on them and where each word is drawn.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Emu

from pipelines.access import EVERYTHING
from pipelines.home import Home
from pipelines.metrics import open_warehouse
from pipelines.targets import load_targets
from reach.cli import main
from reports.board.data import gather_board
from reports.board.tables import kpi_rows
from reports.board.text import t
from reports.ministry_writer import SHEET_NAMES
from robustness._office import (
    SOFFICE,
    number_pattern,
    outside,
    overlapping_words,
    page_size,
    page_texts,
    page_words,
    pdf_info,
    soffice_to_pdf,
    squash,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice headless (bash bin/setup installs it)"),
]

PERIOD = ("2022-08-01", "2023-01-31")
A4_LANDSCAPE = (841.9, 595.3)
SHORT_SHEETS = ("sex", "age_band", "nationality", "target_group", "district", "targets")  # one page each
FOOTER = re.compile(r"^(?P<sheet>\S.*?)\s{2,}(?P<page>\d+) / (?P<pages>\d+)\s*$")


def _report(home: Home, kind: str, out: Path, *extra: str) -> Path:
    assert main(["--home", str(home.root), "report", kind, "--from", PERIOD[0], "--to", PERIOD[1],
                 "--out", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def workbook(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("office-workbook")
    xlsx = _report(published_home, "ministry", folder / "ministry.xlsx")
    return xlsx, soffice_to_pdf(xlsx, folder / "pdf")


@pytest.fixture(scope="module")
def board_pptx(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("office-pptx")
    pptx = _report(published_home, "board", folder / "board.pptx")
    return pptx, soffice_to_pdf(pptx, folder / "pdf")


def _sheet_of_pages(pdf: Path) -> list[str]:
    """The sheet each page prints, from the page footer (sheet name left, `page / pages` right)."""
    sheets = []
    texts = page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        footer = FOOTER.match([line for line in text.splitlines() if line.strip()][-1].strip())
        assert footer, f"page {number} has no footer: {text[-200:]!r}"
        assert (int(footer["page"]), int(footer["pages"])) == (number, len(texts))
        sheets.append(footer["sheet"])
    return sheets


def _rows(sheet: openpyxl.worksheet.worksheet.Worksheet, first_row: int, value_col: int,
          key_col: int = 0) -> list[tuple[str, object]]:
    """(first-column key, value) of the data rows from `first_row` (1-based) down to the first empty key."""
    rows = []
    for row in sheet.iter_rows(min_row=first_row, values_only=True):
        if not row[key_col]:
            break
        rows.append((str(row[key_col]), row[value_col]))
    return rows


def _value_pattern(value: object) -> str:
    if isinstance(value, int | float):
        return number_pattern(value, 0 if float(value).is_integer() else 1)
    return re.escape(str(value))


def _line_with(text: str, key: str, value: object) -> bool:
    """A line of the page starts with `key` and shows `value` as its own token further right."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s.*(?<!\S){_value_pattern(value)}(?!\S)", re.MULTILINE)
    return bool(pattern.search(text))


# --- the ministry workbook ----------------------------------------------------------------------------


def test_workbook_prints_every_sheet_one_page_wide_in_order(workbook: tuple[Path, Path]) -> None:
    xlsx, pdf = workbook
    book = openpyxl.load_workbook(xlsx)
    sheets = _sheet_of_pages(pdf)
    assert list(dict.fromkeys(sheets)) == book.sheetnames  # every sheet printed, in order, its pages together
    short = [SHEET_NAMES[k] for k in SHORT_SHEETS if SHEET_NAMES[k] in book.sheetnames]
    assert len(short) == 6
    assert all(sheets.count(name) == 1 for name in short), sheets
    # The indicators fill at most two pages, the metadata (with the definitions) its own few; a
    # value column printed apart would add pages of its own, which the next test would catch too.
    expected = len(short) + sheets.count(SHEET_NAMES["indicators"]) + sheets.count(SHEET_NAMES["metadata"])
    assert sheets.count(SHEET_NAMES["indicators"]) <= 2
    assert int(pdf_info(pdf)["Pages"]) == len(sheets) == expected
    assert page_size(pdf) == pytest.approx(A4_LANDSCAPE, abs=1)  # the wide sheets turn landscape


def test_each_code_and_its_value_print_on_the_same_line_of_one_page(workbook: tuple[Path, Path]) -> None:
    xlsx, pdf = workbook
    book = openpyxl.load_workbook(xlsx)
    texts = page_texts(pdf)
    sheets = _sheet_of_pages(pdf)
    checked = {SHEET_NAMES["indicators"]: _rows(book[SHEET_NAMES["indicators"]], 5, 3),
               SHEET_NAMES["targets"]: _rows(book[SHEET_NAMES["targets"]], 5, 5)}
    for key in ("sex", "age_band", "nationality", "target_group", "district"):
        checked[SHEET_NAMES[key]] = _rows(book[SHEET_NAMES[key]], 6, 3)
    for sheet, rows in checked.items():
        assert rows, sheet
        pages = [text for name, text in zip(sheets, texts, strict=True) if name == sheet]
        title = squash(str(book[sheet]["A1"].value))
        for number, text in enumerate(pages, start=1):
            assert title in squash(text), (sheet, number)  # the title and headers repeat on every page
        for key, value in rows:
            where = [number for number, text in enumerate(pages, start=1) if _line_with(text, key, value)]
            assert len(where) == 1, (sheet, key, value, where)


def test_wrapped_text_has_room_and_stays_on_the_page(workbook: tuple[Path, Path]) -> None:
    xlsx, pdf = workbook
    width, height = page_size(pdf)
    pages = page_words(pdf)
    for number, words in enumerate(pages, start=1):
        assert overlapping_words(words) == [], f"page {number}: text drawn over text"
        assert outside(words, width, height) == [], f"page {number}: text off the page"
    # Every word of each wrapped indicator name is printed (none cut off by a short row).
    printed = " ".join(w.text for words in pages for w in words)
    sheet = openpyxl.load_workbook(xlsx)[SHEET_NAMES["indicators"]]
    names = [str(c.value) for row in sheet.iter_rows(min_row=5, max_col=3) for c in row[1:] if c.value]
    assert len(names) >= 16
    for name in names:
        for word in name.split():
            assert word in printed, (name, word)


# --- the board pack -----------------------------------------------------------------------------------


def test_board_pack_slides_convert_one_page_each(board_pptx: tuple[Path, Path], published_home: Home) -> None:
    pptx, pdf = board_pptx
    deck = Presentation(str(pptx))
    slides = list(deck.slides)
    assert int(pdf_info(pdf)["Pages"]) == len(slides) == 8  # with the project to date (the sample has targets)
    slide_size = (Emu(deck.slide_width).pt, Emu(deck.slide_height).pt)
    assert page_size(pdf) == pytest.approx(slide_size, abs=1)
    texts = page_texts(pdf, layout=False)
    for number, (slide, text) in enumerate(zip(slides, texts, strict=True), start=1):
        title = next(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert squash(title) in squash(text), (number, title)
    width, height = page_size(pdf)
    for number, words in enumerate(page_words(pdf), start=1):
        assert overlapping_words(words) == [], f"slide {number}: text drawn over text"
        assert outside(words, width, height) == [], f"slide {number}: text off the slide"
    con = open_warehouse(published_home)
    try:
        data = gather_board(con, load_targets(), date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]),
                            scope=EVERYTHING)
    finally:
        con.close()
    first = squash(texts[0])
    for name, value, *_ in kpi_rows(data, "cs")[1:]:
        assert squash(name) in first and squash(value) in first, (name, value)


def test_board_pack_pdf_opens_with_one_page_per_section(published_home: Home, tmp_path: Path) -> None:
    pdf = _report(published_home, "board", tmp_path / "board.pdf")
    info = pdf_info(pdf)
    assert info["Pages"] == "7" and "A4" in info["Page size"]  # six sections and the project to date
    assert page_size(pdf) == pytest.approx(A4_LANDSCAPE, abs=1)
    headings = ["title", "trend", "project", "reach", "reach", "courses", "quality"]
    texts = page_texts(pdf, layout=False)
    for number, (key, text) in enumerate(zip(headings, texts, strict=True), start=1):
        assert squash(t(key, "cs")) in squash(text), (number, key)
        assert re.search(rf"(?<!\d){number}\s*/\s*7(?!\d)", text), number  # the page footer
    width, height = page_size(pdf)
    for number, words in enumerate(page_words(pdf), start=1):
        assert overlapping_words(words) == [], f"page {number}: text drawn over text"
        assert outside(words, width, height) == [], f"page {number}: text off the page"
