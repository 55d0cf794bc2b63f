"""`write_board_pack`: the board pack for a period as PDF or PPTX (CLI and dashboard)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import duckdb

from pipelines.access import Scope
from pipelines.errors import ReachError
from pipelines.targets import ProjectTargets, load_targets
from reports.board.charts import build_figures, render
from reports.board.data import gather_board
from reports.board.highlights import highlights
from reports.board.pdf import write_pdf
from reports.board.pptx import write_pptx

WRITERS = {".pdf": write_pdf, ".pptx": write_pptx}


def write_board_pack(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    out: str | Path,
    lang: str = "cs",
    targets: ProjectTargets | None = None,
    *,
    scope: Scope,
) -> Path:
    """Write the board pack to `out` (.pdf or .pptx, chosen by the extension) and return its path.

    `con` is a read-only connection from pipelines.metrics.open_warehouse. Suppression is always on.
    `scope`: whose figures (the downloading user's; pipelines.access.EVERYTHING for the operator).
    """
    path = Path(out)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ReachError(f"The board pack is a .pdf or .pptx file; '{path}' has another extension.")
    if lang not in ("cs", "en"):
        raise ReachError(f"The board pack's language is cs or en, not '{lang}'.")
    if date_to < date_from:
        raise ReachError(f"The period ends ({date_to}) before it starts ({date_from}).")
    data = gather_board(con, targets or load_targets(), date_from, date_to, scope=scope)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reach-board-") as folder:
        charts = {chart.key: chart for chart in render(build_figures(data, lang), Path(folder), lang)}
        return writer(data, charts, highlights(data, lang), lang, path)
