"""The Dash app factory: `create_app(home, writers)` -> a Dash app over <home>/warehouse.duckdb (read-only).

The composition root (`reach.dashboard.create_dashboard`) calls it with the report writers.
"""

from __future__ import annotations

from pathlib import Path

import dash
from flask import Response, abort, send_from_directory

from dashboard.callbacks import register_callbacks
from dashboard.data import WarehouseSource
from dashboard.geo import load_district_geojson
from dashboard.i18n import t
from dashboard.layout import shell
from dashboard.report_downloads import ReportWriters
from pipelines.home import Home
from pipelines.safe_text import STATIC_PAGE_CSP
from pipelines.targets import load_targets

ASSETS = Path(__file__).resolve().parent / "assets"


def create_app(home: Home, writers: ReportWriters) -> dash.Dash:
    """Everything is served from this process: scripts, styles, Plotly's Czech locale, Data Docs."""
    targets = load_targets()
    source = WarehouseSource(home)
    geojson = load_district_geojson(home)
    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS),
        serve_locally=True,
        external_stylesheets=[],
        external_scripts=[],
        suppress_callback_exceptions=True,
        title=t("app_title", "cs"),
        update_title=None,
    )
    app.layout = shell(t("app_title", "cs"), targets.period_from, targets.period_to)
    register_callbacks(app, source, targets, geojson, writers)
    _serve_quality_docs(app, home)
    return app


def _serve_quality_docs(app: dash.Dash, home: Home) -> None:
    """Great Expectations' HTML summary from <home>/quality, so the link works offline.

    The pages quote the data (failing samples): a strict Content-Security-Policy makes sure that
    nothing in them runs even if a text ever slipped through unescaped.
    """

    @app.server.route("/quality/<path:name>")
    def quality_docs(name: str) -> Response:
        folder = home.quality_dir
        if not (folder / name).is_file():
            abort(404)
        response = send_from_directory(folder, name)
        response.headers["Content-Security-Policy"] = STATIC_PAGE_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
