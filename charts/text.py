"""A chart's text alternative, read from the figure as drawn: a table of its figures and a summary.

Reading the drawn figure, not the data behind it, keeps the table identical to the chart: the
same rows in the same order, the same labels, the same `<5` and hidden markers, whether small-
number protection is on or off. The dashboard shows the table under each chart ("show as table")
and the summary beside it; the board pack uses the summary as the chart image's alternative text.
Works on every figure charts/figures.py builds: horizontal bars (one or more series), lines,
heatmaps, the district tile map and the district choropleth; annotations named "note" are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from charts.words import t
from pipelines.metrics.catalogue import REST_CODE, dimension_name

SMALL = "<5"  # a flag of 1-4 people drawn as it is (hand-made tables; protected results flag only "x")

SUMMARY_TOP = 3  # values named in a summary
PER_COLUMN_UP_TO = 3  # a summary names each column's largest value up to this many columns


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    filter: tuple[str, str] | None = None  # (dimension, code): what a click on this row's mark filters by


@dataclass(frozen=True)
class ChartTable:
    corner: str  # header of the label column
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()  # figures the chart prints beside its marks (outside the region, ...)
    message: str = ""  # why there is nothing to draw


def plain(text: Any) -> str:
    """A figure's text as the reader sees it: Plotly's three entities decoded (see pipelines.safe_text)."""
    if text is None:
        return ""
    return str(text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _title(axis: Any) -> str:
    return plain(axis.title.text) if axis is not None and axis.title is not None and axis.title.text else ""


def _axis(figure: go.Figure, name: str | None, kind: str) -> Any:
    """The layout axis a trace is drawn on (`x`, `x2`, ... -> layout.xaxis, layout.xaxis2)."""
    suffix = (name or kind)[1:]
    return figure.layout[f"{kind}axis{suffix}"]


def _pairs(trace: Any) -> list[Any]:
    """Per point: the (dimension, code) a click filters by, or None."""
    custom = trace.customdata if trace.customdata is not None else []
    pairs = []
    for item in custom:
        item = list(item) if item is not None else []
        pairs.append((str(item[0]), str(item[1])) if len(item) == 2 else None)
    return pairs


def chart_table(figure: go.Figure, lang: str) -> ChartTable:
    """The figures a chart draws, as rows (categories) × columns (series)."""
    notes = tuple(plain(a.text) for a in figure.layout.annotations if a.name == "note" and a.text)
    columns: list[str] = []
    cells: dict[str, dict[str, str]] = {}
    filters: dict[str, tuple[str, str] | None] = {}
    corner = ""

    def put(label: Any, column: str, value: Any, pair: tuple[str, str] | None = None) -> None:
        key = plain(label)
        if column not in columns:
            columns.append(column)
        cells.setdefault(key, {})[column] = plain(value) or "—"
        if filters.get(key) is None:
            filters[key] = pair

    for trace in figure.data:
        kind = trace.type
        if kind == "bar" and trace.orientation == "h":
            axis = _axis(figure, trace.xaxis, "x")
            column = plain(trace.name) or _title(axis) or t("value", lang)
            corner = corner or _title(_axis(figure, trace.yaxis, "y"))
            pairs = _pairs(trace) or [None] * len(trace.y)
            for label, text, pair in zip(trace.y, trace.text or [""] * len(trace.y), pairs, strict=False):
                put(label, column, text, pair)
        elif kind == "scatter" and "lines" in (trace.mode or ""):
            column = plain(trace.name) or t("value", lang)
            corner = corner or _title(_axis(figure, trace.xaxis, "x"))
            for label, text in zip(trace.x, trace.text or [""] * len(trace.x), strict=False):
                put(label, column, text)
        elif kind in ("scatter", "choroplethmap") and trace.hovertext is not None:
            column = plain(trace.name) if kind == "scatter" else _title(trace.colorbar)
            pairs = _pairs(trace) or [None] * len(trace.text)
            for label, text, pair in zip(trace.text, trace.hovertext, pairs, strict=False):
                put(label, column or t("value", lang), text, pair)
        elif kind == "heatmap":
            corner = _title(_axis(figure, trace.yaxis, "y"))
            for label, line in zip(trace.y, trace.text, strict=False):
                for column, text in zip(trace.x, line, strict=False):
                    put(label, plain(column), text)
    if not cells:
        message = next((plain(a.text) for a in figure.layout.annotations if a.name != "note"), "")
        return ChartTable("", (), (), notes, message or t("empty_period", lang))
    rows = tuple(Row(label, tuple(values.get(c, "—") for c in columns), filters.get(label))
                 for label, values in cells.items())
    # Rows that filter say what they are: the dimension a click filters by names the label column.
    dimension = next((row.filter[0] for row in rows if row.filter), None)
    corner = corner or (dimension_name(dimension, lang) if dimension else t("item", lang))
    return ChartTable(corner, tuple(columns), rows, notes)


_HIDDEN_MARKERS = (SMALL,)


def _number(text: str, lang: str) -> float | None:
    """A value as printed (`1 234`, `12,5`, `1,234`, `12.5`) -> number; `<5`, hidden, `—` -> None."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    compact = compact.replace(",", ".") if lang == "cs" else compact.replace(",", "")
    try:
        return float(compact)
    except ValueError:
        return None


def _hidden(text: str, lang: str) -> bool:
    return text in _HIDDEN_MARKERS or text == t("hidden", lang)


def summary(table: ChartTable, lang: str) -> str:
    """One or two sentences a screen reader reads for the chart: how many rows, the largest values."""
    if not table.rows:
        return table.message
    parts = [f"{t('summary_rows', lang)}: {len(table.rows)}."]
    ranked_rows = [row for row in table.rows if row.filter is None or row.filter[1] != REST_CODE]  # not "other"
    if len(table.columns) <= PER_COLUMN_UP_TO:
        for index, column in enumerate(table.columns):
            ranked = sorted(((v, row) for row in ranked_rows
                             if (v := _number(row.cells[index], lang)) is not None), key=lambda p: -p[0])
            named = [f"{row.label} ({row.cells[index]})" for _, row in ranked[:SUMMARY_TOP]]
            if named:
                most = t("summary_most", lang)
                lead = most if len(table.columns) == 1 else f"{column} – {most.lower()}"
                parts.append(f"{lead}: {', '.join(named)}.")
    else:
        found = [(v, row.label, column, row.cells[i]) for row in ranked_rows
                 for i, column in enumerate(table.columns) if (v := _number(row.cells[i], lang)) is not None]
        if found:
            _, label, column, text = max(found, key=lambda p: p[0])
            parts.append(f"{t('summary_largest', lang)}: {label}, {column} ({text}).")
    hidden = sum(_hidden(cell, lang) for row in table.rows for cell in row.cells)
    if hidden:
        parts.append(f"{t('summary_hidden', lang)}: {hidden}.")
    parts.extend(note + "." for note in table.notes)
    return " ".join(parts)


def describe(figure: go.Figure, title: str, lang: str) -> str:
    """The alternative text of a chart image: its title and its summary."""
    return f"{title}. {summary(chart_table(figure, lang), lang)}"
