"""The dashboard as served: the Dash app wired to the document writers of `reports/`, behind sign-in."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import dash
import duckdb

from dashboard.app import create_app
from dashboard.auth.config import AccessConfig
from dashboard.report_downloads import ReportWriters
from pipelines.build_progress import BuildReport
from pipelines.home import Home


def _board_pack(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Path:
    # Imported on first download: the board pack's renderers (kaleido, WeasyPrint) are slow to load.
    from reports.board import write_board_pack

    return write_board_pack(con, *args, **kwargs)


def _ministry_workbook(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Path:
    from reports.ministry import write_ministry_workbook

    return write_ministry_workbook(con, *args, **kwargs)


WRITERS = ReportWriters(board_pack=_board_pack, ministry_workbook=_ministry_workbook)


def build_from_dashboard(home: Home, progress: BuildReport) -> str:
    """`reach build` for the Deliveries page's button: the same build, gate and publish, its steps
    reported to the page's `progress`; -> its summary."""
    from reach.build import build_warehouse

    return build_warehouse(home, progress=progress).text()


def create_dashboard(home: Home, access: AccessConfig | None = None) -> dash.Dash:
    """`access`: the sign-in settings; by default those of <home>/access.toml and the environment."""
    return create_app(home, WRITERS, access or AccessConfig.load(home), build_from_dashboard)


def settle_before_serving() -> None:
    """Called once the app is made, before the first request: what start-up made (Dash, Plotly's
    validators, the app: about 150,000 objects) lives as long as the server, so it is frozen out of the
    garbage collector's full passes, each of which walked all of it (about 100 ms once every twenty page
    views, a pause in one answer; docs/performance.md). Later objects are collected as ever."""
    gc.collect()
    gc.freeze()
