"""A metric result, or the catalogue's list of metrics and dimensions, as `reach metrics` prints it."""

from __future__ import annotations

import csv
import io
import json

from pipelines.metrics.catalogue import DIMENSIONS, METRICS
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


LISTING_COLUMNS = ("type", "code", "name_cs", "name_en", "kind")


def _listing() -> list[dict[str, str]]:
    """Every metric (with its kind), then every dimension, named in Czech and English."""
    return [
        *({"type": "metric", "code": m.name, "name_cs": m.label_cs, "name_en": m.label_en, "kind": m.kind.value}
          for m in METRICS),
        *({"type": "dimension", "code": d.name, "name_cs": d.label_cs, "name_en": d.label_en, "kind": ""}
          for d in DIMENSIONS),
    ]


def listing_csv() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LISTING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_listing())
    return buffer.getvalue()


def listing_json() -> str:
    return json.dumps(_listing(), ensure_ascii=False, indent=2) + "\n"
