"""The ministry workbook (.xlsx): indicators, breakdowns, project targets, metadata.

Numbers are stored as numbers with Excel number formats (`#,##0` shows as `1 234` in Czech
Excel), dates as dates; suppressed cells hold the published marker ("<5" or "x") as text.
Every text cell goes through `neutralise` so nothing is read as a formula.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from reports.cells import Cell, is_number, neutralise
from reports.metric_names import definitions, metric_name
from reports.ministry_model import IndicatorValue, MinistryData

SHEET_NAMES = {
    "indicators": "Ukazatele",
    "sex": "Podle pohlaví",
    "age_band": "Podle věku",
    "nationality": "Podle občanství",
    "target_group": "Podle cílové skupiny",
    "district": "Podle okresu",
    "targets": "Cíle projektu",
    "metadata": "Metadata",
}
DIMENSION_TITLES = {
    "sex": ("Pohlaví", "Sex"),
    "age_band": ("Věková skupina", "Age band"),
    "nationality": ("Státní občanství", "Nationality"),
    "target_group": ("Cílová skupina", "Target group"),
    "district": ("Okres bydliště", "District of residence"),
}
QUALITY_CS = {
    "passed": "v pořádku", "warnings": "s varováními", "failed": "neprošla", "not_checked": "nekontrolováno",
}


class _Sheet:
    """A worksheet with the workbook's formats; every write goes through the right type."""

    def __init__(self, sheet: Worksheet, formats: dict[str, Any]) -> None:
        self.ws, self.f = sheet, formats

    def text(self, row: int, col: int, value: str | None, fmt: str = "text") -> None:
        self.ws.write_string(row, col, neutralise(value or ""), self.f[fmt])

    def cell(self, row: int, col: int, value: Cell, fmt: str = "int") -> None:
        if is_number(value):
            self.ws.write_number(row, col, value, self.f[fmt])  # type: ignore[arg-type]
        elif value is None:
            self.ws.write_blank(row, col, None, self.f[fmt])
        else:
            self.text(row, col, str(value), "marker")

    def when(self, row: int, col: int, value: date | datetime | None) -> None:
        if value is None:
            self.text(row, col, "—")
        elif isinstance(value, datetime):
            self.ws.write_datetime(row, col, value, self.f["datetime"])
        else:
            self.ws.write_datetime(row, col, datetime(value.year, value.month, value.day), self.f["date"])

    def header(self, row: int, titles: list[str]) -> None:
        for col, title in enumerate(titles):
            self.text(row, col, title, "header")


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 13}),
        "header": book.add_format({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top"}),
        "int": book.add_format({"num_format": "#,##0", "valign": "top"}),
        "decimal": book.add_format({"num_format": "#,##0.0", "valign": "top"}),
        "percent": book.add_format({"num_format": "0%", "valign": "top"}),
        "marker": book.add_format({"align": "right", "valign": "top"}),
        "date": book.add_format({"num_format": "d. m. yyyy", "align": "left"}),
        "datetime": book.add_format({"num_format": "d. m. yyyy h:mm", "align": "left"}),
    }


def _number_format(metric: str) -> str:
    return "decimal" if metric == "service_hours" else "int"


def _indicator_rows(sheet: _Sheet, start: int, values: tuple[IndicatorValue, ...]) -> int:
    for offset, item in enumerate(values):
        row = start + offset
        ind = item.indicator
        sheet.text(row, 0, ind.code)
        sheet.text(row, 1, ind.name_cs)
        sheet.text(row, 2, ind.name_en)
        sheet.cell(row, 3, item.value, _number_format(ind.metric))
        sheet.text(row, 4, ind.metric)
        filters = "; ".join(f"{dim} = {', '.join(codes)}" for dim, codes in ind.where.items())
        sheet.text(row, 5, filters)
        sheet.text(row, 6, ind.judgement)
    return start + len(values)


def _write_indicators(sheet: _Sheet, data: MinistryData) -> None:
    fw = data.framework
    sheet.text(0, 0, f"{fw.name_cs} / {fw.name_en}", "title")
    sheet.text(1, 0, "Období / Period")
    sheet.when(1, 1, data.date_from)
    sheet.when(1, 2, data.date_to)
    sheet.header(3, ["Kód / Code", "Ukazatel", "Indicator", "Hodnota / Value", "Metrika / Metric",
                     "Filtr / Filter", "Poznámka k mapování / Mapping note"])
    row = _indicator_rows(sheet, 4, data.indicators)
    if data.separate:
        sheet.text(row + 1, 0, "Vykazováno odděleně (nesčítá se s ukazateli fondu) / "
                               "Reported separately (never added to the fund's indicators)", "title")
        sheet.header(row + 2, ["Kód / Code", "Ukazatel", "Indicator", "Hodnota / Value", "Metrika / Metric",
                               "Filtr / Filter", "Poznámka / Note"])
        _indicator_rows(sheet, row + 3, data.separate)
    for col, width in enumerate((10, 50, 50, 14, 20, 40, 60)):
        sheet.ws.set_column(col, col, width)
    sheet.ws.freeze_panes(4, 0)


def _write_breakdown(sheet: _Sheet, data: MinistryData, index: int) -> None:
    part = data.breakdowns[index]
    title_cs, title_en = DIMENSION_TITLES.get(part.dimension, (part.dimension, part.dimension))
    ind = part.indicator
    sheet.text(0, 0, f"{ind.code} {ind.name_cs} — podle: {title_cs.lower()}", "title")
    sheet.text(1, 0, f"{ind.code} {ind.name_en} — by {title_en.lower()}")
    sheet.text(2, 0, "Jedna osoba se počítá jednou; součet částí se může lišit od celku kvůli potlačení malých "
                     "hodnot. / A person counts once; parts may not add up to the total because small values "
                     "are suppressed.")
    sheet.header(4, ["Kód / Code", title_cs, title_en, "Hodnota / Value"])
    for offset, item in enumerate(part.rows):
        row = 5 + offset
        sheet.text(row, 0, item.code)
        sheet.text(row, 1, item.label_cs)
        sheet.text(row, 2, item.label_en)
        sheet.cell(row, 3, item.value, _number_format(ind.metric))
    for col, width in enumerate((16, 36, 36, 14)):
        sheet.ws.set_column(col, col, width)
    sheet.ws.freeze_panes(5, 0)


def _write_targets(sheet: _Sheet, data: MinistryData) -> None:
    t = data.targets
    sheet.text(0, 0, f"{t.code} {t.name_cs} / {t.name_en}", "title")
    sheet.text(1, 0, "Cíl za období = cíl projektu poměrně ke dnům projektu v období. / "
                     "Period target = project target pro rata to the project days in the period.")
    sheet.header(3, ["Metrika / Metric", "Ukazatel", "Indicator", "Cíl projektu / Project target",
                     "Cíl za období / Period target", "Skutečnost / Actual", "Plnění / Achieved"])
    for offset, item in enumerate(data.target_rows):
        row = 4 + offset
        fmt = _number_format(item.metric)
        sheet.text(row, 0, item.metric)
        sheet.text(row, 1, metric_name(item.metric, "cs"))
        sheet.text(row, 2, metric_name(item.metric, "en"))
        sheet.cell(row, 3, item.project_target, fmt)
        sheet.cell(row, 4, item.period_target, fmt)
        sheet.cell(row, 5, item.actual, fmt)
        achieved = (item.actual / item.period_target  # type: ignore[operator]
                    if is_number(item.actual) and item.period_target else None)
        sheet.cell(row, 6, achieved, "percent")
    for col, width in enumerate((22, 28, 28, 16, 16, 14, 12)):
        sheet.ws.set_column(col, col, width)


def _write_metadata(sheet: _Sheet, data: MinistryData, generated_at: datetime) -> None:
    prov = data.provenance
    quality = prov.quality
    fw = data.framework
    rows: list[tuple[str, Any]] = [
        ("Rámec ukazatelů / Indicator framework", f"{fw.code}: {fw.name_en}"),
        ("Právní základ / Legal basis", fw.legal_basis),
        ("Období od / Period from", data.date_from),
        ("Období do / Period to", data.date_to),
        ("Data ke dni / Data as of", prov.data_as_of),
        ("Vytvořeno / Generated", generated_at),
        ("Počet dodávek / Deliveries used", len(prov.deliveries)),
        ("Řádky v karanténě / Quarantined rows", prov.quarantined_rows),
        ("Kontrola kvality / Quality status",
         f"{QUALITY_CS.get(quality.status, quality.status)} / {quality.status.replace('_', ' ')}"
         + (f" ({quality.detail})" if quality.detail else "")),
        ("Kontrola kvality provedena / Quality checked at", quality.checked_at),
        ("Neúspěšné kontroly / Failed checks", ", ".join(quality.failed_checks) or "—"),
        ("Potlačení malých hodnot / Suppression",
         "Vždy zapnuto: počty osob 1–4 jsou zveřejněny jako <5, další buňky skryté (x) tam, kde by šly dopočítat. / "
         "Always on: counts of people from 1 to 4 are published as <5, further cells hidden (x) where they "
         "could be worked out."),
    ]
    sheet.text(0, 0, "Metadata", "title")
    for offset, (name, value) in enumerate(rows):
        row = 2 + offset
        sheet.text(row, 0, name, "header")
        if isinstance(value, date | datetime) or (value is None):
            sheet.when(row, 1, value)
        elif is_number(value):
            sheet.cell(row, 1, value)
        else:
            sheet.text(row, 1, str(value))
    row = 3 + len(rows)
    sheet.text(row, 0, "Dodávky / Deliveries", "title")
    sheet.header(row + 1, ["Centrum / Centre", "Pořadí načtení / Load seq", "Zdroj / Source",
                           "Načteno / Loaded at", "Souborů / Files", "Řádků načteno / Rows loaded",
                           "V karanténě / Quarantined"])
    row += 2
    for delivery in prov.deliveries:
        sheet.text(row, 0, delivery.centre)
        sheet.cell(row, 1, delivery.load_seq)
        sheet.text(row, 2, delivery.source)
        sheet.when(row, 3, delivery.loaded_at)
        sheet.cell(row, 4, delivery.files)
        sheet.cell(row, 5, delivery.rows_loaded)
        sheet.cell(row, 6, delivery.rows_quarantined)
        row += 1
    row += 1
    sheet.text(row, 0, "Definice / Definitions", "title")
    sheet.header(row + 1, ["Metrika / Metric", "Název / Name", "Definice / Definition"])
    row += 2
    for code, name_cs, name_en, definition in definitions():
        sheet.text(row, 0, code)
        sheet.text(row, 1, f"{name_cs} / {name_en}")
        sheet.text(row, 2, definition)
        row += 1
    for col, width in enumerate((40, 60, 60, 20, 10, 14, 14)):
        sheet.ws.set_column(col, col, width)


def write_workbook(data: MinistryData, out: Path, generated_at: datetime | None = None) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    # strings_to_formulas off: text is text even if the neutralising were ever bypassed.
    book = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False})
    formats = _formats(book)

    def sheet(key: str) -> _Sheet:
        return _Sheet(book.add_worksheet(SHEET_NAMES.get(key, f"Podle {key}")[:31]), formats)

    _write_indicators(sheet("indicators"), data)
    for index, part in enumerate(data.breakdowns):
        _write_breakdown(sheet(part.dimension), data, index)
    _write_targets(sheet("targets"), data)
    _write_metadata(sheet("metadata"), data, generated_at or datetime.now().replace(microsecond=0))
    book.close()
    return out
