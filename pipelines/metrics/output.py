"""A metric result as the `reach metrics` command prints it: CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from pipelines.metrics.result import MetricResult
from pipelines.safe_text import csv_cell


def to_csv(result: MetricResult) -> str:
    """Header, then one line per row: dimensions, then metrics as published ("<5", "x" where suppressed).

    Text cells that a spreadsheet would read as a formula are neutralised (a branch named `=HYPERLINK(...)`).
    """
    published = result.published()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(published.columns)
    writer.writerows([csv_cell(value) for value in row] for row in published.iter_rows())
    return buffer.getvalue()


def to_json(result: MetricResult) -> str:
    """A list of objects; numbers as numbers, suppressed cells as the strings "<5" or "x", no value as null."""
    return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
