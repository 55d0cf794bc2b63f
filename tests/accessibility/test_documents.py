"""The documents read with assistive technology: a tagged PDF, PPTX slide titles and picture
descriptions, workbook header rows marked and no merged cells among the data.

Made by `reach report` from the warehouse the real pipeline built; the PDF's structure tree is
read with pypdf, the slides with python-pptx, the workbook with openpyxl.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf.generic import ArrayObject, DictionaryObject

from pipelines.home import Home
from reach.cli import main
from reports.board.charts import TITLES

pytestmark = pytest.mark.slow
PERIOD = ["--from", "2022-08-01", "--to", "2022-12-31"]
SUMMARY_START = {"cs": "Položek:", "en": "Items:"}


def _report(home: Home, kind: str, out: Path, *extra: str) -> Path:
    assert main(["--home", str(home.root), "report", kind, *PERIOD, "--out", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def documents(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    made = {f"{lang}.{ext}": _report(published_home, "board", folder / f"board-{lang}.{ext}", "--lang", lang)
            for lang in ("cs", "en") for ext in ("pdf", "pptx")}
    made["xlsx"] = _report(published_home, "ministry", folder / "ministry.xlsx")
    return made


def _elements(node: Any) -> list[DictionaryObject]:
    """Every structure element below `node`, depth first (marked-content references skipped)."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        return [e for child in node for e in _elements(child)]
    if isinstance(node, DictionaryObject) and "/S" in node:
        return [node, *_elements(node.get("/K", ArrayObject()))]
    return []


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_board_pack_pdf_is_tagged_with_headings_tables_and_chart_descriptions(documents: dict[str, Path],
                                                                             lang: str) -> None:
    reader = pypdf.PdfReader(documents[f"{lang}.pdf"])
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == lang
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()  # declared PDF/UA-1
    elements = _elements(catalog["/StructTreeRoot"]["/K"])
    kinds = Counter(str(e["/S"]) for e in elements)
    assert kinds["/H1"] == 1 and kinds["/H2"] >= 5 and kinds["/H3"] >= 6
    assert kinds["/Table"] >= 3 and kinds["/TH"] >= 10 and kinds["/TD"] >= 20
    figures = [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"]
    titles = {(cs if lang == "cs" else en) for cs, en in TITLES.values()}
    assert len(figures) == len(TITLES)
    for alt in figures:  # each chart: its title, then the figures it shows
        title, _, summary = alt.partition(". ")
        assert title in titles and summary.startswith(SUMMARY_START[lang]), alt


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_board_pack_slides_have_titles_and_pictures_have_alternative_text(documents: dict[str, Path],
                                                                         lang: str) -> None:
    deck = Presentation(str(documents[f"{lang}.pptx"]))
    titles = {(cs if lang == "cs" else en) for cs, en in TITLES.values()}
    pictures = 0
    for slide in deck.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip()
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
                alt = shape._element.nvPicPr.cNvPr.get("descr")
                title, _, summary = alt.partition(". ")
                assert title in titles and summary.startswith(SUMMARY_START[lang]), alt
    assert pictures == len(TITLES)


def test_workbook_marks_its_header_rows_and_merges_no_data_cells(documents: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(documents["xlsx"])
    for sheet in book.worksheets:
        assert sheet.print_title_rows, sheet.title  # the title and header rows repeat on every printed page
        last_title_row = int(sheet.print_title_rows.split(":")[1].lstrip("$"))
        header = [c.value for c in sheet[last_title_row] if c.value]
        if sheet.title != "Metadata":  # its first table starts below the title: name/value pairs
            assert len(header) >= 3 and all(sheet.cell(last_title_row, i + 1).font.b for i in range(len(header)))
        for merged in sheet.merged_cells.ranges:
            assert merged.min_row == merged.max_row, (sheet.title, str(merged))  # one row: a title or a note
            others = [c.value for c in sheet[merged.min_row]
                      if c.value is not None and not (merged.min_col <= c.column <= merged.max_col)]
            assert others == [], (sheet.title, str(merged))  # nothing else in that row: not a data row
