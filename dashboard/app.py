"""The Dash app factory: `create_app(home, writers, access)` -> a Dash app over <home>/warehouse.duckdb (read-only).

The composition root (`reach.dashboard.create_dashboard`) calls it with the report writers and the
sign-in settings. There is no app without sign-in: `dashboard.auth.install` wraps the server first.
"""

from __future__ import annotations

from pathlib import Path

import dash
import plotly
from dash.fingerprint import build_fingerprint
from flask import Response, abort, request, send_from_directory

from dashboard.admin.accounts_view import register_account_callbacks
from dashboard.auth import current_account, current_scope, install
from dashboard.auth.config import AccessConfig
from dashboard.auth.ui import account_box, register_account_box
from dashboard.callbacks import register_callbacks
from dashboard.data import WarehouseSource
from dashboard.geo import load_district_geojson
from dashboard.i18n import t
from dashboard.layout import shell
from dashboard.report_downloads import ReportWriters
from dashboard.routine.callbacks import Build
from dashboard.routine.register import register_routine
from pipelines.home import Home
from pipelines.safe_text import STATIC_PAGE_CSP
from pipelines.targets import load_targets

ASSETS = Path(__file__).resolve().parent / "assets"
PLOTLY_JS = "package_data/plotly.min.js"  # in the plotly package, as Dash serves it
# plotly.js's own "cartesian" build of the same version (npm plotly.js-cartesian-dist-min, MIT; see
# assets/vendor/README.md): the bar, scatter and heatmap traces every chart here is drawn with, 1.5 of
# the full build's 4.8 MB, about a third of the time to run it on a first load (docs/performance.md).
# Only a district map (an operator's GeoJSON: a choroplethmap on the Reach page) needs the full build.
CARTESIAN_JS = "vendor/plotly-cartesian.min.js"  # in assets/, not run as a page script (assets_path_ignore)


def create_app(home: Home, writers: ReportWriters, access: AccessConfig, build: Build | None = None) -> dash.Dash:
    """Everything is served from this process: scripts, styles, Plotly's Czech locale, Data Docs.

    `build`: the build runner of the Deliveries page (the composition root's, reach/dashboard.py).
    """
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
        assets_path_ignore=["vendor"],  # served when asked for (plotly-early.js), never run on every page
    )
    install(app, home, access)
    _preload_plotly(app, maps=geojson is not None)
    _cache_assets(app)

    def layout() -> dash.html.Div:
        """Built per request for the signed-in role: its switch, its report buttons, its name."""
        account = current_account()
        role = account.role if account else None
        return shell(t("app_title", "cs"), targets.period_from, targets.period_to,
                     may_switch_protection=bool(role and role.may_switch_protection),
                     reports=role.reports if role else frozenset(), account=account_box(account))

    app.layout = layout
    register_callbacks(app, source, targets, geojson, writers)
    register_account_box(app)
    register_routine(app, source, targets, geojson, build)  # Deliveries, Schedules, trace (issue 15)
    register_account_callbacks(app, home)  # the Administration page's accounts (issue 12)
    _serve_quality_docs(app, home)
    return app


def plotly_url(app: dash.Dash, *, maps: bool) -> str:
    """The address of the plotly.js the charts are drawn with: the cartesian build, or with `maps` (a
    district GeoJSON is configured) the full one. Both addresses carry the file's version (Dash's
    fingerprint, the asset's `?m=`), so each is cached for a year and a new file gets a new address."""
    if not maps:
        return f"{app.get_asset_url(CARTESIAN_JS)}?m={(ASSETS / CARTESIAN_JS).stat().st_mtime}"  # as _cache_assets
    modified_full = int((Path(plotly.__file__).parent / PLOTLY_JS).stat().st_mtime)
    app.registered_paths["plotly"].add(PLOTLY_JS)
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/plotly/" + build_fingerprint(
        PLOTLY_JS, plotly.__version__, modified_full)


def _preload_plotly(app: dash.Dash, *, maps: bool) -> None:
    """plotly.js fetched from the page's start, beside Dash's scripts, instead of when the first chart
    mounts (after the page's callbacks: on the critical path of the first view); assets/plotly-early.js
    runs it when the first chart asks."""
    url = plotly_url(app, maps=maps)
    app.index_string = dash.dash._default_index.replace(  # type: ignore[attr-defined]
        "{%css%}", f'{{%css%}}\n        <link rel="preload" as="script" id="plotly-early" href="{url}">')


def _cache_assets(app: dash.Dash) -> None:
    """The app's own scripts and styles cached for a year when asked for under Dash's address of
    their current version (`?m=` their modification time; an edited file gets a new address), so a
    later visit does not revalidate each of them. Any other request of them stays `no-cache`."""
    prefix = f"{app.config.routes_pathname_prefix}{app.config.assets_url_path.strip('/')}/"

    @app.server.after_request
    def cache_versioned(response: Response) -> Response:
        stamp = request.args.get("m")
        if stamp and response.status_code == 200 and request.path.startswith(prefix):
            file = (ASSETS / request.path.removeprefix(prefix)).resolve()
            if file.is_relative_to(ASSETS) and file.is_file() and stamp == str(file.stat().st_mtime):
                response.cache_control.no_cache = None
                response.cache_control.max_age = 31_536_000
                response.cache_control.immutable = True
        return response


def _serve_quality_docs(app: dash.Dash, home: Home) -> None:
    """Great Expectations' HTML summary from <home>/quality, so the link works offline.

    The pages quote the data (failing samples): a strict Content-Security-Policy makes sure that
    nothing in them runs even if a text ever slipped through unescaped. They quote every centre's
    rows, so only a user whose scope is every centre gets them.
    """

    @app.server.route("/quality/<path:name>")
    def quality_docs(name: str) -> Response:
        if not current_scope().everything:
            abort(403)
        folder = home.quality_dir
        if not (folder / name).is_file():
            abort(404)
        response = send_from_directory(folder, name)
        response.headers["Content-Security-Policy"] = STATIC_PAGE_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
