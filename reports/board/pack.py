"""`write_board_pack(s)`: the board pack for a period as PDF and/or PPTX (CLI, dashboard, scheduler)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb

from pipelines.access import Scope
from pipelines.errors import ReachError
from pipelines.targets import ProjectTargets, load_targets
from reports.board.chart_cache import ChartCache
from reports.board.charts import Chart, ChartBrowser, build_figures, render
from reports.board.data import gather_board
from reports.board.highlights import highlights
from reports.board.model import BoardData

FORMATS = (".pdf", ".pptx")
Writer = Callable[[BoardData, dict[str, Chart], list[str], str, Path], Path]


def _writer(suffix: str) -> Writer:
    """The writer of a format, imported only when that format is asked for (WeasyPrint takes about
    0.5 s to import, python-pptx 0.05 s): write_board_packs imports it while Chromium starts."""
    if suffix == ".pdf":
        from reports.board.pdf import write_pdf
        return write_pdf
    from reports.board.pptx import write_pptx
    return write_pptx


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
    return write_board_packs(con, date_from, date_to, [out], lang, targets, scope=scope)[0]


def write_board_packs(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    outs: Sequence[str | Path],
    lang: str = "cs",
    targets: ProjectTargets | None = None,
    *,
    scope: Scope,
) -> list[Path]:
    """The board pack in every file of `outs` (each .pdf or .pptx): the figures are gathered and the
    charts drawn once, in one Chromium session, for all of them; charts drawn for an earlier request
    of the same figures come from the cache beside the warehouse (reports.board.chart_cache)."""
    paths = [Path(out) for out in outs]
    if not paths:
        raise ReachError("The board pack needs a file to be written to (.pdf or .pptx).")
    for path in paths:
        if path.suffix.lower() not in FORMATS:
            raise ReachError(f"The board pack is a .pdf or .pptx file; '{path}' has another extension.")
    if lang not in ("cs", "en"):
        raise ReachError(f"The board pack's language is cs or en, not '{lang}'.")
    if date_to < date_from:
        raise ReachError(f"The period ends ({date_to}) before it starts ({date_from}).")
    cache = ChartCache.beside(con)
    request = cache.request(con, scope, date_from, date_to, lang) if cache else None
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reach-board-")))
        # Chromium starts now and comes up while the metric queries run, unless this request's charts
        # were drawn before and are all in the cache (a chart missing after all gets a session then).
        browser = None if cache and request and cache.noted(request) else stack.enter_context(ChartBrowser())
        data = gather_board(con, targets or load_targets(), date_from, date_to, scope=scope)
        figs = build_figures(data, lang)
        writers = {path: _writer(path.suffix.lower()) for path in paths}  # imported before Chromium is waited for
        drawn = render(figs, folder, lang, browser, cache, request)
        charts = {chart.key: chart for chart in drawn}
        if browser is not None:
            browser.release()  # Chromium closes while the documents are laid out
        found = highlights(data, lang)
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            writers[path](data, charts, found, lang, path)
    return paths
