"""The data behind a chart as a file: codes, labels in the UI language, values as published."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import polars as pl
import xlsxwriter

from dashboard.delivery_calendar import CENTRE_FILTER, calendar_for
from pipelines.delivery_calendar import INCOMPLETE_UNKNOWN, incomplete_note
from pipelines.errors import ReachError
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS_BY_NAME, code_label, dimension_name, metric_name
from pipelines.safe_text import neutralise_frame

if TYPE_CHECKING:  # dashboard.pages imports every page
    from dashboard.pages.base import PageContext

NOTE_SHEET = {"cs": "Poznámka", "en": "Note"}


def with_incomplete(note: str, context: PageContext) -> str:
    """`note` and, where the view's centres have not delivered months of its period, the note saying
    which (the documents' wording, pipelines.delivery_calendar.incomplete_note)."""
    lang = context.lang
    try:
        calendar = calendar_for(context)
    except ReachError as error:
        return " ".join(filter(None, (note, INCOMPLETE_UNKNOWN[lang].format(reason=str(error)))))
    chosen = context.view.filters.get(CENTRE_FILTER) or None
    missing = calendar.incomplete(context.period.date_from, context.period.date_to, chosen)
    return " ".join(filter(None, (note, incomplete_note(missing, lang))))


def export_table(published: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Each dimension column followed by its label; metric cells as published ("x" where not shown)."""
    columns: list[pl.Series] = []
    for name in published.columns:
        series = published[name]
        if name in DIMENSIONS_BY_NAME:
            columns.append(series.cast(pl.String))
            labels = [code_label(name, code, lang) for code in series.to_list()]
            columns.append(pl.Series(f"{name}_label", labels, dtype=pl.String))
        else:
            columns.append(series)
    return pl.DataFrame(columns)


def header_labels(frame: pl.DataFrame, lang: str) -> list[str]:
    labels = []
    for name in frame.columns:
        if name in METRICS_BY_NAME:
            labels.append(metric_name(name, lang))
        elif name.endswith("_label") and name.removesuffix("_label") in DIMENSIONS_BY_NAME:
            labels.append(dimension_name(name.removesuffix("_label"), lang))
        else:
            labels.append(name)
    return labels


def to_csv(frame: pl.DataFrame, note: str = "") -> str:
    """UTF-8 CSV with a BOM so Excel opens Czech text correctly; no text cell reads as a formula.

    `note` (how the figures are protected) is the last row, in the first column.
    """
    text = "\ufeff" + neutralise_frame(frame).write_csv()
    if note:
        text += pl.DataFrame({frame.columns[0] if frame.columns else "note": [note]}).write_csv(include_header=False)
    return text


def to_xlsx(frame: pl.DataFrame, sheet: str, lang: str, note: str = "") -> bytes:
    """One sheet: a header row of readable names over the data (codes kept for re-use); `note` on a
    second sheet.

    Text stays text: no cell becomes a formula or a hyperlink, whatever a branch name holds.
    """
    buffer = io.BytesIO()
    readable = neutralise_frame(frame)
    readable = readable.rename(dict(zip(readable.columns, _unique(header_labels(frame, lang)), strict=True)))
    # polars' own workbook would turn text such as `http://...` into a hyperlink.
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    readable.write_excel(book, worksheet=sheet[:31], autofit=True)
    if note:
        book.add_worksheet(NOTE_SHEET[lang]).write_string(0, 0, note)
    book.close()
    return buffer.getvalue()


def _unique(names: list[str]) -> list[str]:
    """The header names made distinct as Excel compares them, ignoring case (a table's "month" code
    column and its label "Month" would otherwise be one header twice)."""
    seen: set[str] = set()
    result = []
    for name in names:
        unique, count = name, 1
        while unique.casefold() in seen:
            count += 1
            unique = f"{name} ({count})"
        seen.add(unique.casefold())
        result.append(unique)
    return result
