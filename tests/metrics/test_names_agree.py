"""Every surface names every metric and dimension the same in Czech and English.

Each surface is read through what it actually prints: the dashboard's Definitions page, its
export headers and filter labels; the board pack's KPI table, course table and highlights; the
ministry workbook's definitions, targets and breakdown sheets; and docs/metrics.md as written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard.exports import header_labels
from dashboard.layout import filter_label
from dashboard.pages.definitions import dimension_rows, metric_rows
from dashboard.state.url import FILTER_DIMENSIONS
from pipelines.metrics.catalogue import DIMENSIONS, METRICS, METRICS_BY_NAME, applies
from reports.board.highlights import largest_change
from reports.board.model import Comparison, Kpi, PartChange
from reports.board.tables import COURSE_METRICS, course_rows, kpi_rows
from reports.ministry_model import Breakdown, BreakdownRow, TargetRow
from reports.ministry_writer import SHEET_NAMES, write_workbook
from support.reports import board_data, ministry_data

DOC = Path(__file__).parents[2] / "docs" / "metrics.md"
LANGS = ("cs", "en")
Names = dict[str, tuple[str, str]]  # code -> (Czech, English)


def _doc_names() -> tuple[Names, Names]:
    """(metrics, dimensions) as docs/metrics.md names them in their sections."""
    text = DOC.read_text(encoding="utf-8")
    metrics_part, dimensions_part = text.split("\n## Dimensions\n")[0], text.split("\n## Dimensions\n")[1]
    pattern = re.compile(r"^### `(\w+)`.*?\n\n- cs: \*\*(.+?)\*\* — .*?\n- en: \*\*(.+?)\*\* — ", re.M)
    return ({code: (cs, en) for code, cs, en in pattern.findall(metrics_part)},
            {code: (cs, en) for code, cs, en in pattern.findall(dimensions_part)})


def _pairs(by_lang: dict[str, dict[str, str]]) -> Names:
    return {code: (by_lang["cs"][code], by_lang["en"][code]) for code in by_lang["cs"]}


def _dashboard_metrics() -> dict[str, Names]:
    definitions = _pairs({lang: {code: name for name, _, code in metric_rows(lang)} for lang in LANGS})
    codes = [m.name for m in METRICS]
    frame = pl.DataFrame(schema=dict.fromkeys(codes, pl.Int64))
    exports = _pairs({lang: dict(zip(codes, header_labels(frame, lang), strict=True)) for lang in LANGS})
    return {"definitions page": definitions, "export headers": exports}


def _dashboard_dimensions() -> dict[str, Names]:
    definitions = _pairs({lang: {code: name for name, _, code in dimension_rows(lang)} for lang in LANGS})
    codes = [d.name for d in DIMENSIONS]
    frame = pl.DataFrame(schema=dict.fromkeys([f"{code}_label" for code in codes], pl.String))
    exports = _pairs({lang: dict(zip(codes, header_labels(frame, lang), strict=True)) for lang in LANGS})
    filters = _pairs({lang: {d: filter_label(d, lang) for d in FILTER_DIMENSIONS} for lang in LANGS})
    return {"definitions page": definitions, "export headers": exports, "filter labels": filters}


def _board_metrics() -> dict[str, Names]:
    data = replace(board_data(), kpis=tuple(Kpi(m.name, 10, 10, None) for m in METRICS))
    kpis = _pairs({lang: {m.name: row[0] for m, row in zip(METRICS, kpi_rows(data, lang)[1:], strict=True)}
                   for lang in LANGS})
    courses = _pairs({lang: dict(zip(COURSE_METRICS, course_rows(board_data(), lang)[0][1:], strict=True))
                      for lang in LANGS})
    return {"board KPI table": kpis, "board course table": courses}


def _board_dimensions() -> Names:
    """The dimension a highlight names as driving the largest change, for each dimension of clients reached."""
    found: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    reached = METRICS_BY_NAME["clients_reached"]
    for dimension in (d for d in DIMENSIONS if applies(reached, d.name)):
        data = replace(board_data(), kpis=(Kpi("clients_reached", 400, 100, None),),
                       comparisons=(Comparison("clients_reached", dimension.name,
                                               (PartChange((dimension.codes() or ("2022-09",))[0], 300, 10),)),))
        for lang in LANGS:
            sentence = largest_change(data, lang) or ""
            match = re.search(r"– (.+?): ", sentence)
            assert match, (dimension.name, sentence)
            found[lang][dimension.name] = match.group(1)
    return _pairs(found)


# One row per breakdown, all of the headline indicator's people (the disclosure audit checks the figures fit).
_ONE_ROW = {"age_band": "18-29", "nationality": "UA", "target_group": "ukrainian", "district": "CZ0427"}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    base = ministry_data()
    main = base.breakdowns[0].indicator
    headline = next(item.value for item in base.indicators if item.indicator == main)
    named = {row.metric for row in base.target_rows}
    data = replace(
        base,
        breakdowns=(*base.breakdowns, *(Breakdown(d, main, (BreakdownRow(code, code, code, headline),))
                                        for d, code in _ONE_ROW.items())),
        target_rows=(*base.target_rows, *(TargetRow(m.name, 100, 50.0, 40) for m in METRICS if m.name not in named)),
    )
    out = tmp_path_factory.mktemp("names") / "ministry.xlsx"
    write_workbook(data, out, generated_at=datetime(2023, 1, 5, 10, 0))
    return openpyxl.load_workbook(out)


def _workbook_metrics(book: openpyxl.Workbook) -> dict[str, Names]:
    targets = {row[0]: (row[1], row[2]) for row in book[SHEET_NAMES["targets"]].iter_rows(min_row=5, values_only=True)
               if row[0] in METRICS_BY_NAME}
    definitions = {row[0]: tuple(row[1].split(" / ")) for row in book[SHEET_NAMES["metadata"]].iter_rows(
        values_only=True) if row[0] in METRICS_BY_NAME and row[1] and " / " in row[1]}
    return {"workbook targets": targets, "workbook definitions": definitions}


def _workbook_dimensions(book: openpyxl.Workbook) -> Names:
    names = {}
    for dimension in (d.name for d in DIMENSIONS if d.name in SHEET_NAMES):
        header = next(row for row in book[SHEET_NAMES[dimension]].iter_rows(values_only=True)
                      if row[0] == "Kód / Code")
        names[dimension] = (header[1], header[2])
    return names


def _disagreements(reference: Names, surfaces: dict[str, Names]) -> list[str]:
    return [f"{surface}: {code} is {names} but docs/metrics.md says {reference.get(code)}"
            for surface, named in surfaces.items() for code, names in named.items() if reference.get(code) != names]


def test_every_metric_is_named_alike_everywhere(workbook: openpyxl.Workbook) -> None:
    documented, _ = _doc_names()
    assert set(documented) == set(METRICS_BY_NAME)
    surfaces = {**_dashboard_metrics(), **_board_metrics(), **_workbook_metrics(workbook)}
    for surface in ("definitions page", "export headers", "board KPI table", "workbook targets",
                    "workbook definitions"):
        assert set(surfaces[surface]) == set(documented), surface  # each of these lists every metric
    assert _disagreements(documented, surfaces) == []


def test_every_dimension_is_named_alike_everywhere(workbook: openpyxl.Workbook) -> None:
    _, documented = _doc_names()
    assert set(documented) == {d.name for d in DIMENSIONS}
    surfaces = {**_dashboard_dimensions(), "board highlights": _board_dimensions(),
                "workbook breakdowns": _workbook_dimensions(workbook)}
    assert set(surfaces["definitions page"]) == set(documented)
    assert set(surfaces["workbook breakdowns"]) == {"sex", "age_band", "nationality", "target_group", "district"}
    assert _disagreements(documented, surfaces) == []
