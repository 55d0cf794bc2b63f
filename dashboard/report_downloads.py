"""The reports bar: the board pack (PDF, PPTX) and the ministry workbook for the period in view.

The files come from the same writers as `reach report` (handed in by the composition root,
`reach.dashboard`, so this package never imports the reports), so a download equals the CLI's
output for the same period. Reports always suppress small numbers, whatever the privacy switch says,
and hold only the signed-in user's scope (the writers take it and hand it to every figure they read).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dash
import duckdb
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard.auth import current_role, current_scope, record
from dashboard.auth.texts import word
from dashboard.i18n import t
from dashboard.state.url import parse_view
from pipelines.access import Scope
from pipelines.errors import ReachError
from pipelines.metrics.warehouse import open_warehouse
from pipelines.targets import ProjectTargets

if TYPE_CHECKING:
    from dashboard.callbacks import Board

REPORTS = {  # button id -> (kind, file extension)
    "report-board-pdf": ("board", "pdf"),
    "report-board-pptx": ("board", "pptx"),
    "report-ministry-xlsx": ("ministry", "xlsx"),
}
MINISTRY_FRAMEWORK = "amif-2021-2027"

BoardPackWriter = Callable[..., Any]  # (con, date_from, date_to, out, *, lang, targets, scope)
WorkbookWriter = Callable[..., Any]  # (con, date_from, date_to, out, *, framework, targets, scope)


@dataclass(frozen=True)
class ReportWriters:
    """The document writers the reports bar calls; the same functions `reach report` calls."""

    board_pack: BoardPackWriter
    ministry_workbook: WorkbookWriter

    def write(self, kind: str, con: duckdb.DuckDBPyConnection, date_from: date, date_to: date, out: Path,
              lang: str, targets: ProjectTargets, scope: Scope) -> None:
        if kind == "board":
            self.board_pack(con, date_from, date_to, out, lang=lang, targets=targets, scope=scope)
        else:
            self.ministry_workbook(con, date_from, date_to, out, framework=MINISTRY_FRAMEWORK, targets=targets,
                                   scope=scope)


def report_bar(kinds: frozenset[str] = frozenset({"board", "ministry"})) -> html.Div:
    """Buttons (labelled by a callback in the UI language) and the download target.

    A button of a report the role may not download is left hidden and disabled; the server refuses it anyway.
    """
    return html.Div(className="report-bar", children=[
        html.Span(id="reports-label", className="report-label"),
        *[html.Button(id=button, className="btn-export", hidden=kind not in kinds, disabled=kind not in kinds)
          for button, (kind, _extension) in REPORTS.items()],
        dcc.Loading(dcc.Download(id="report-download"), type="dot"),
        html.Span(id="report-error", className="report-error"),
    ])


def report_file(board: Board, writers: ReportWriters, button: str, pathname: str | None,
                search: str | None, scope: Scope) -> tuple[bytes, str]:
    """Write the report a button asks for, for the URL's period and language and `scope`; -> (bytes, file name)."""
    kind, extension = REPORTS[button]
    view = board.with_default_period(parse_view(pathname, search), scope)
    period = board.context(view, True, scope).period
    stamp = f"{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
    name = f"{kind}_{MINISTRY_FRAMEWORK + '_' if kind == 'ministry' else ''}{stamp}.{extension}"
    con = open_warehouse(board.source.home)
    try:
        with tempfile.TemporaryDirectory(prefix="reach-report-") as folder:
            out = Path(folder) / name
            writers.write(kind, con, period.date_from, period.date_to, out, view.lang, board.targets, scope)
            return out.read_bytes(), name
    finally:
        con.close()


def register_report_downloads(app: dash.Dash, board: Board, writers: ReportWriters) -> None:
    @app.callback(
        Output("reports-label", "children"),
        *[Output(button, "children") for button in REPORTS],
        Input("url", "search"), State("url", "pathname"),
    )
    def label_buttons(search: str | None, pathname: str | None) -> tuple[str, ...]:
        lang = parse_view(pathname, search).lang
        return (t("reports", lang), *[t(button.replace("-", "_"), lang) for button in REPORTS])

    @app.callback(
        Output("report-download", "data"), Output("report-error", "children"),
        *[Input(button, "n_clicks") for button in REPORTS],
        State("url", "pathname"), State("url", "search"),
        prevent_initial_call=True,
    )
    def download_report(*args: Any) -> tuple[Any, str]:
        pathname, search = args[-2], args[-1]
        button = ctx.triggered_id
        if button not in REPORTS or not board.source.published():
            return no_update, ""
        role, lang = current_role(), parse_view(pathname, search).lang
        if role is None or REPORTS[button][0] not in role.reports:  # refused here, whatever the page showed
            return no_update, word("report_refused", lang)
        scope = current_scope()
        try:
            content, name = report_file(board, writers, button, pathname, search, scope)
            # Written before the file is handed over; if it cannot be written, nothing is.
            record(board.source.home, "report.download", name,
                   f"period {name.rsplit('_', 1)[-1].split('.')[0]}; scope {scope.describe()}; lang {lang}")
        except ReachError as error:
            return no_update, str(error)
        return dcc.send_bytes(content, name), ""
