"""`write_ministry_workbook`: the fund's indicator workbook for a period (CLI and dashboard)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.access import Scope
from pipelines.errors import ReachError
from pipelines.targets import ProjectTargets, load_targets
from reports.framework import load_framework
from reports.ministry_audit import protect
from reports.ministry_data import gather_ministry
from reports.ministry_writer import write_workbook


def write_ministry_workbook(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    out: str | Path,
    framework: str | Path = "amif-2021-2027",
    targets: ProjectTargets | None = None,
    *,
    scope: Scope,
) -> Path:
    """Write the workbook to `out` (.xlsx; a path or a file name) and return its path.

    `con` is a read-only connection from pipelines.metrics.open_warehouse. The figures are exact,
    with `<5` and complementary `x` chosen over all sheets and audited by a linear program
    (reports/ministry_audit.py); a workbook that fails the audit is not written (ReachError).
    `scope`: whose figures (the downloading user's; pipelines.access.EVERYTHING for the operator). The
    indicators sheet holds the whole scope; with figures of two or more centres, each centre gets a
    sheet of the same indicators too (a coordinator of one centre gets that centre's figures only).
    """
    if date_to < date_from:
        raise ReachError(f"The period ends ({date_to}) before it starts ({date_from}).")
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise ReachError(f"The ministry workbook is an .xlsx file; '{path}' has another extension.")
    targets = targets or load_targets()
    if not scope.everything:  # some centres' workbook: their projects' targets (the file's all if none has any)
        targets = targets.for_centres(scope.centres) or targets
    data = gather_ministry(con, load_framework(framework), targets, date_from, date_to, scope=scope)
    return write_workbook(protect(data), path)
