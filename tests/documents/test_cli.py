"""`reach report` on a warehouse built by the real pipeline (the shared `published_home` fixture).

The workbook's indicators must equal (exact) `reach metrics` for the same period and filters where
they show a number; no published unique-people count may lie between 1 and 4; the board pack must
show the KPIs and highlights.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from pipelines.access import EVERYTHING
from pipelines.home import Home
from pipelines.metrics import UNIQUE_PEOPLE_METRICS, open_warehouse
from pipelines.targets import load_targets
from reach.cli import main
from reports.board.data import gather_board
from reports.board.highlights import highlights
from reports.board.tables import kpi_rows
from reports.framework import load_framework
from reports.ministry_writer import SHEET_NAMES
from support.readback import pdf_text, pptx_text, squash

pytestmark = pytest.mark.slow

PERIOD = ("2022-08-01", "2023-01-31")


def _reach(capsys: pytest.CaptureFixture[str], home: Home, *args: str) -> str:
    capsys.readouterr()
    code = main(["--home", str(home.root), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture(scope="module")
def workbooks(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ministry")
    paths = {}
    for framework in ("amif-2021-2027", "amif-2014-2020"):
        out = folder / f"{framework}.xlsx"
        assert main(["--home", str(published_home.root), "report", "ministry", "--from", PERIOD[0],
                     "--to", PERIOD[1], "--framework", framework, "--out", str(out)]) == 0
        paths[framework] = out
    return paths


@pytest.mark.parametrize("framework", ["amif-2021-2027", "amif-2014-2020"])
def test_each_indicator_equals_reach_metrics(workbooks: dict[str, Path], published_home: Home,
                                             capsys: pytest.CaptureFixture[str], framework: str) -> None:
    sheet = openpyxl.load_workbook(workbooks[framework])[SHEET_NAMES["indicators"]]
    in_book = {row[0]: row[3] for row in sheet.iter_rows(values_only=True) if row[0] and row[4]}
    fw = load_framework(framework)
    for indicator in (*fw.indicators, *fw.reported_separately):
        where = [f"--where={dim}={','.join(values)}" for dim, values in indicator.where.items()]
        printed = _reach(capsys, published_home, "metrics", "--from", PERIOD[0], "--to", PERIOD[1],
                         "--metric", indicator.metric, *where, "--format", "json", "--exact")
        exact = json.loads(printed)[0][indicator.metric]
        # The workbook is exact where it shows a number; `<5` is 1-4, `x` a hidden count of 5 or more.
        published = in_book[indicator.code]
        if published == "<5":
            assert 1 <= exact <= 4, indicator.code
        elif published == "x":
            assert exact >= 5, indicator.code
        else:
            assert published == exact, indicator.code
    assert any(isinstance(v, int | float) and v > 0 for v in in_book.values()), "the sample gave only zeros"


def test_no_published_unique_count_between_1_and_4(workbooks: dict[str, Path]) -> None:
    unique_values = []
    for path in workbooks.values():
        book = openpyxl.load_workbook(path)
        for row in book[SHEET_NAMES["indicators"]].iter_rows(values_only=True):
            if row[4] in UNIQUE_PEOPLE_METRICS:
                unique_values.append(row[3])
        for key in ("sex", "age_band", "nationality", "target_group", "district"):
            # The breakdown sheets split the participants indicator, a unique-people count.
            rows = list(book[SHEET_NAMES[key]].iter_rows(min_row=6, values_only=True))
            unique_values += [r[3] for r in rows if r[0]]
        target_sheet = book[SHEET_NAMES["targets"]]
        unique_values += [r[5] for r in target_sheet.iter_rows(min_row=5, values_only=True)
                          if r[0] in UNIQUE_PEOPLE_METRICS]
    numbers = [v for v in unique_values if isinstance(v, int | float)]
    assert numbers, "no unique-people count was published"
    assert not [v for v in numbers if 1 <= v <= 4]
    assert all(isinstance(v, int | float) or v in ("<5", "x") for v in unique_values)


def test_workbook_text_is_never_a_formula(workbooks: dict[str, Path]) -> None:
    for path in workbooks.values():
        book = openpyxl.load_workbook(path)
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f"
                    if isinstance(cell.value, str):
                        assert cell.value[:1] not in ("=", "+", "-", "@"), (sheet.title, cell.coordinate)


def test_board_pack_pdf_and_pptx(published_home: Home, tmp_path: Path) -> None:
    con = open_warehouse(published_home)
    try:
        data = gather_board(con, load_targets(), date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]),
                            scope=EVERYTHING)
    finally:
        con.close()
    for lang in ("cs", "en"):
        sentences = highlights(data, lang)
        assert 3 <= len(sentences) <= 5
        kpis = kpi_rows(data, lang)[1:]
        for suffix, read in ((".pdf", pdf_text), (".pptx", pptx_text)):
            out = tmp_path / f"board-{lang}{suffix}"
            args = ["--home", str(published_home.root), "report", "board", "--from", PERIOD[0], "--to", PERIOD[1],
                    "--out", str(out)] + (["--lang", "en"] if lang == "en" else [])
            assert main(args) == 0
            text = squash(read(out))
            for sentence in sentences:
                assert squash(sentence) in text, (suffix, sentence)
            for name, value, *_ in kpis:
                assert squash(name) in text and squash(value) in text, (suffix, name, value)


def test_bad_output_extension_is_one_clear_message(published_home: Home, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--home", str(published_home.root), "report", "board", "--from", PERIOD[0], "--to", PERIOD[1],
                 "--out", str(tmp_path / "board.docx")])
    assert code != 0
    assert ".pdf or .pptx" in capsys.readouterr().err
