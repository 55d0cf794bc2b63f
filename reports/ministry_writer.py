"""The ministry workbook (.xlsx): indicators (the total and, with several centres, one sheet per
centre with the same indicator codes), breakdowns, project targets, metadata.

Numbers are stored as numbers with Excel number formats (`#,##0` shows as `1 234` in Czech
Excel), dates as dates; suppressed cells hold the published marker ("<5" or "x") as text.
Every text cell goes through `neutralise` so nothing is read as a formula.

Every sheet prints legibly: one page wide (landscape where the columns need it), the title and
column headers repeated on each page, and rows as tall as their wrapped text. Spreadsheet
programs do not size rows for wrapped text written by a library, so `_Sheet` estimates the lines
each text needs in its column (or columns, for a text spanning several) and sets the row height.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipelines.metrics import UNIQUE_PEOPLE_METRICS
from pipelines.metrics.catalogue import METRICS, dimension_name, metric_name
from pipelines.metrics.linkage import SUMMED_LABEL
from pipelines.safe_text import neutralise
from reports.cells import Cell, is_number
from reports.ministry_audit import audit_workbook
from reports.ministry_model import CentreSheet, IndicatorValue, MinistryData

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
CENTRE_SHEET = "Ukazatele {code}"  # a centre's indicators, beside the total sheet (SHEET_NAMES["indicators"])
# The metric layer counts a person once per centre (no linkage key yet), so a total's unique people
# are the centres' unique clients added up (issue 11, item 6).
SUMMED_UNIQUE = f"{SUMMED_LABEL['cs']} / {SUMMED_LABEL['en']}"
QUALITY_CS = {
    "passed": "v pořádku", "warnings": "s varováními", "failed": "neprošla", "not_checked": "nekontrolováno",
}


def sheet_names(data: MinistryData) -> dict[str, str]:
    """The sheet names of this workbook: SHEET_NAMES and one `Ukazatele <code>` per centre sheet."""
    return {**SHEET_NAMES, **{f"centre:{c.code}": CENTRE_SHEET.format(code=c.code) for c in data.centres}}


# --- print layout -------------------------------------------------------------------------------------

# Characters of text per unit of column width (a unit is the width of a digit in the default font).
# Czech and English text averages 1.2-1.3 characters per digit width in regular DejaVu Sans
# (LibreOffice's substitute where Calibri is missing) and 1.06-1.2 in bold; these figures leave
# about a tenth for uneven text. The title is bold and larger (13 pt).
CHARS_PER_WIDTH = {"regular": 1.1, "bold": 0.96, "title": 0.8}
LINE_POINTS = {"regular": 15.0, "bold": 15.0, "title": 18.0}  # row height per line of text
CELL_PADDING = 1.5  # width units lost to the cell's left and right padding
# Printable width of an A4 page with the margins below, in column-width units (7 px each at 96 dpi).
MARGIN_INCHES = 0.4
PORTRAIT_WIDTH = (8.27 - 2 * MARGIN_INCHES) * 96 / 7
A4 = 9  # xlsxwriter's paper code


def text_lines(text: str, width: float, style: str = "regular") -> int:
    """Lines `text` takes when wrapped in a cell `width` units wide (explicit line breaks kept)."""
    per_line = max(1, math.floor((width - CELL_PADDING) * CHARS_PER_WIDTH[style]))
    return sum(max(1, len(textwrap.wrap(part, per_line, break_long_words=True))) for part in text.split("\n"))


class _Sheet:
    """A worksheet with the workbook's formats; every write goes through the right type.

    The column widths are set first: the height of each row follows from the texts written in it.
    `finish` then sets the row heights and the print layout.
    """

    def __init__(self, sheet: Worksheet, formats: dict[str, Any], widths: tuple[float, ...]) -> None:
        self.ws, self.f, self.widths = sheet, formats, widths
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        self.heights: dict[int, float] = {}
        self.last_row = 0

    def _room(self, row: int, text: str, width: float, fmt: str) -> None:
        self.last_row = max(self.last_row, row)
        style = STYLE_OF.get(fmt)
        if style is None:  # a format that does not wrap: one line
            return
        height = text_lines(text, width, style) * LINE_POINTS[style]
        self.heights[row] = max(self.heights.get(row, 0.0), height)

    def text(self, row: int, col: int, value: str | None, fmt: str = "text", span: int = 1) -> None:
        """A text cell; `span` > 1 merges it with the cells to its right (a title, a note, a long value)."""
        text = neutralise(value or "")
        last = min(col + span, len(self.widths)) - 1
        if last > col:
            self.ws.merge_range(row, col, row, last, "", self.f[fmt])
        self.ws.write_string(row, col, text, self.f[fmt])
        self._room(row, text, sum(self.widths[col:last + 1]), fmt)

    def paragraph(self, row: int, value: str, fmt: str = "text") -> None:
        """A text across the whole width of the sheet."""
        self.text(row, 0, value, fmt, span=len(self.widths))

    def finish(self, repeat_to_row: int) -> None:
        """Row heights for wrapped text; print one page wide, rows 0..`repeat_to_row` on every page."""
        for row, height in self.heights.items():
            if height > LINE_POINTS["regular"]:
                self.ws.set_row(row, height)
        self.ws.set_paper(A4)
        if sum(self.widths) > PORTRAIT_WIDTH:
            self.ws.set_landscape()
        self.ws.set_margins(left=MARGIN_INCHES, right=MARGIN_INCHES, top=0.5, bottom=0.6)
        self.ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
        self.ws.print_area(0, 0, self.last_row, len(self.widths) - 1)
        self.ws.repeat_rows(0, repeat_to_row)
        self.ws.set_footer("&L&A&R&P / &N")  # sheet name, page of pages

    def cell(self, row: int, col: int, value: Cell, fmt: str = "int") -> None:
        self.last_row = max(self.last_row, row)
        if is_number(value):
            self.ws.write_number(row, col, value, self.f[fmt])  # type: ignore[arg-type]
        elif value is None:
            self.ws.write_blank(row, col, None, self.f[fmt])
        else:
            self.text(row, col, str(value), "marker")

    def when(self, row: int, col: int, value: date | datetime | None) -> None:
        self.last_row = max(self.last_row, row)
        if value is None:
            self.text(row, col, "—")
        elif isinstance(value, datetime):
            self.ws.write_datetime(row, col, value, self.f["datetime"])
        else:
            self.ws.write_datetime(row, col, datetime(value.year, value.month, value.day), self.f["date"])

    def header(self, row: int, titles: list[str]) -> None:
        for col, title in enumerate(titles):
            self.text(row, col, title, "header")


# The formats that wrap text, and how wide their letters are (CHARS_PER_WIDTH).
STYLE_OF = {"text": "regular", "header": "bold", "title": "title"}


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"}),
        "header": book.add_format({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top"}),
        "int": book.add_format({"num_format": "#,##0", "valign": "top"}),
        "decimal": book.add_format({"num_format": "#,##0.0", "valign": "top"}),
        "percent": book.add_format({"num_format": "0%", "valign": "top"}),
        "marker": book.add_format({"align": "right", "valign": "top"}),
        "date": book.add_format({"num_format": "d. m. yyyy", "align": "left", "valign": "top"}),
        "datetime": book.add_format({"num_format": "d. m. yyyy h:mm", "align": "left", "valign": "top"}),
    }


def _number_format(metric: str) -> str:
    return "decimal" if metric == "service_hours" else "int"


def _indicator_rows(sheet: _Sheet, start: int, values: tuple[IndicatorValue, ...], summed: bool = False) -> int:
    """One row per indicator; `summed`: a total of several centres, whose unique people are labelled so."""
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
        note = ind.judgement
        if summed and ind.metric in UNIQUE_PEOPLE_METRICS:
            note = f"{SUMMED_UNIQUE.capitalize()}. {note}".strip()
        sheet.text(row, 6, note)
    return start + len(values)


INDICATOR_WIDTHS = (9, 30, 30, 11, 22, 26, 34)
BREAKDOWN_WIDTHS = (26, 34, 34, 14)  # codes such as international_protection fit
TARGET_WIDTHS = (22, 26, 26, 15, 15, 13, 11)
# Metadata: a name and its value, then the deliveries' seven columns, then the definitions (code,
# name, definition). No cell of these tables is merged: a screen reader moves through them cell by cell.
METADATA_WIDTHS = (26, 40, 48, 18, 10, 14, 14)


def coverage(data: MinistryData) -> str:
    """Whose figures the total sheet holds (its third row)."""
    codes = ", ".join(data.centre_codes) or "—"
    if not data.centres:
        return f"Centrum / Centre: {codes}"
    whole = ("Celkem za všechna centra / National: all centres" if data.national
             else "Celkem za centra / Total of the centres")
    if data.people_linked:
        return (f"{whole} ({codes}). Počty osob: každá osoba jednou (národní klíč; osoba obsloužená dvěma centry "
                "je v listu každého z nich, v součtu jednou). / People counts: each person once (national "
                "linkage key; a person served by two centres is on both centres' sheets and once in the total).")
    return (f"{whole} ({codes}). Počty osob: {SUMMED_LABEL['cs']} (osoba obsloužená dvěma centry "
            f"se počítá dvakrát). / People counts: the {SUMMED_LABEL['en']} (a person served by two "
            "centres counts twice).")


def incomplete_note(data: MinistryData, centres: tuple[str, ...] | None = None) -> str:
    """The months of the period not yet delivered by the sheet's centres (all in scope: None), both languages."""
    cs, en = (data.incomplete.note(lang, centres) for lang in ("cs", "en"))
    return f"{cs} / {en}" if cs else ""


def _incomplete_row(sheet: _Sheet, data: MinistryData, centres: tuple[str, ...] | None = None) -> None:
    """A note row below the sheet's content where its centres have not delivered months of the period."""
    note = incomplete_note(data, centres)
    if note:
        sheet.paragraph(sheet.last_row + 2, note)


def _write_indicators(sheet: _Sheet, data: MinistryData, centre: CentreSheet | None = None) -> None:
    """The total sheet (`centre` None) or one centre's sheet: the same indicator codes in the same rows."""
    fw = data.framework
    sheet.paragraph(0, f"{fw.name_cs} / {fw.name_en}", "title")
    sheet.text(1, 0, "Období / Period")
    sheet.when(1, 1, data.date_from)
    sheet.when(1, 2, data.date_to)
    sheet.paragraph(2, coverage(data) if centre is None else f"Centrum / Centre: {centre.code} — {centre.name}")
    summed = centre is None and data.people_summed
    indicators, separate = (data.indicators, data.separate) if centre is None else (centre.indicators,
                                                                                     centre.separate)
    sheet.header(3, ["Kód / Code", "Ukazatel", "Indicator", "Hodnota / Value", "Metrika / Metric",
                     "Filtr / Filter", "Poznámka k mapování / Mapping note"])
    row = _indicator_rows(sheet, 4, indicators, summed)
    if separate:
        sheet.paragraph(row + 1, "Vykazováno odděleně (nesčítá se s ukazateli fondu) / "
                                 "Reported separately (never added to the fund's indicators)", "title")
        sheet.header(row + 2, ["Kód / Code", "Ukazatel", "Indicator", "Hodnota / Value", "Metrika / Metric",
                               "Filtr / Filter", "Poznámka / Note"])
        _indicator_rows(sheet, row + 3, separate, summed)
    _incomplete_row(sheet, data, None if centre is None else (centre.code,))
    sheet.ws.freeze_panes(4, 0)
    sheet.finish(repeat_to_row=3)


def _write_breakdown(sheet: _Sheet, data: MinistryData, index: int) -> None:
    part = data.breakdowns[index]
    title_cs, title_en = dimension_name(part.dimension, "cs"), dimension_name(part.dimension, "en")
    ind = part.indicator
    sheet.paragraph(0, f"{ind.code} {ind.name_cs} — podle: {title_cs.lower()}", "title")
    sheet.paragraph(1, f"{ind.code} {ind.name_en} — by {title_en.lower()}")
    sheet.paragraph(2, "Jedna osoba se počítá jednou; součet částí se může lišit od celku kvůli potlačení malých "
                       "hodnot. / A person counts once; parts may not add up to the total because small values "
                       "are suppressed.")
    sheet.header(4, ["Kód / Code", title_cs, title_en, "Hodnota / Value"])
    for offset, item in enumerate(part.rows):
        row = 5 + offset
        sheet.text(row, 0, item.code)
        sheet.text(row, 1, item.label_cs)
        sheet.text(row, 2, item.label_en)
        sheet.cell(row, 3, item.value, _number_format(ind.metric))
    _incomplete_row(sheet, data)
    sheet.ws.freeze_panes(5, 0)
    sheet.finish(repeat_to_row=4)


def _write_targets(sheet: _Sheet, data: MinistryData) -> None:
    t = data.targets
    sheet.paragraph(0, f"{t.code} {t.name_cs} / {t.name_en}", "title")
    sheet.paragraph(1, "Cíl za období = cíl projektu poměrně ke dnům projektu v období. / "
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
    _incomplete_row(sheet, data)
    sheet.finish(repeat_to_row=3)


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
         "Přesné údaje; počty osob 1–4 jsou zveřejněny jako <5 a další buňky skryté (x, vždy alespoň 5 osob) "
         "tak, aby ze všech listů dohromady nešlo o buňce <5 zjistit víc než 1–4 a buňku x zúžit na méně než "
         "pět možných hodnot (ověřeno lineárním programem před zápisem). / Exact figures; counts of people "
         "from 1 to 4 are published as <5 and further cells hidden (x, always at least 5 people) so that, from "
         "all sheets together, nothing beyond 1-4 can be worked out for a <5 cell and no x cell can be "
         "narrowed to fewer than five possible values (checked by a linear program before writing)."),
    ]
    if incomplete_note(data):
        rows.append(("Neúplné údaje / Incomplete figures", incomplete_note(data)))
    sheet.paragraph(0, "Metadata", "title")
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
    sheet.paragraph(row, "Dodávky / Deliveries", "title")
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
    sheet.paragraph(row, "Definice / Definitions", "title")
    sheet.text(row + 1, 0, "Metrika / Metric", "header")
    sheet.text(row + 1, 1, "Název / Name", "header")
    sheet.text(row + 1, 2, "Definice / Definition", "header")
    row += 2
    for metric in METRICS:
        sheet.text(row, 0, metric.name)
        sheet.text(row, 1, f"{metric.label_cs} / {metric.label_en}")
        sheet.text(row, 2, metric.definition_en)
        row += 1
    sheet.finish(repeat_to_row=0)


def write_workbook(data: MinistryData, out: Path, generated_at: datetime | None = None) -> Path:
    """Audit the workbook's hiding (ministry_audit), then write it; nothing is written if the audit fails.

    The file is written beside `out` under a temporary name and renamed, so a failure half-way
    leaves no partial workbook and an earlier one at `out` stays as it was.
    """
    audit_workbook(data, sheet_names(data))  # raises ReachError naming the cells an attack narrows
    out.parent.mkdir(parents=True, exist_ok=True)
    # A private folder beside `out` (same file system, so the rename is atomic); the file inside
    # gets the usual permissions, as if written at `out` directly.
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        temporary = folder / out.name
        _write(data, temporary, generated_at or datetime.now().replace(microsecond=0))
        os.replace(temporary, out)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return out


def _write(data: MinistryData, out: Path, generated_at: datetime) -> None:
    # strings_to_formulas off: text is text even if the neutralising were ever bypassed.
    book = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False})
    formats = _formats(book)

    names = sheet_names(data)

    def sheet(key: str, widths: tuple[float, ...]) -> _Sheet:
        return _Sheet(book.add_worksheet(names.get(key, f"Podle {key}")[:31]), formats, widths)

    _write_indicators(sheet("indicators", INDICATOR_WIDTHS), data)
    for centre in data.centres:
        _write_indicators(sheet(f"centre:{centre.code}", INDICATOR_WIDTHS), data, centre)
    for index, part in enumerate(data.breakdowns):
        _write_breakdown(sheet(part.dimension, BREAKDOWN_WIDTHS), data, index)
    _write_targets(sheet("targets", TARGET_WIDTHS), data)
    _write_metadata(sheet("metadata", METADATA_WIDTHS), data, generated_at)
    book.close()
