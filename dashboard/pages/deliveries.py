"""Deliveries (analyst and admin, dashboard/state/pages.py): upload a delivery, build and publish, what changed.

The upload form posts to the plain route of dashboard/routine/routes.py (assets/routine.js sends
the files with the CSRF token and shows the bytes sent); loading and building run in the
background (dashboard/routine/jobs.py) and dashboard/routine/callbacks.py redraws their progress
and results. Only the centres in the user's scope are offered and listed.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.pages.base import Chart, PageContext
from dashboard.routine import changes_view
from dashboard.routine.texts import rt
from pipelines.reference.centres import known_codes
from pipelines.uploads import MIB, UploadLimits

CHARTS: tuple[Chart, ...] = ()


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    return html.Div([
        _upload(ctx),
        dcc.Interval(id="routine-tick", interval=1000),
        dcc.Store(id="upload-job"),  # set by assets/routine.js when the server accepted an upload
        dcc.Store(id="upload-seen"), dcc.Store(id="build-seen"),  # what the statuses last showed (callbacks.py)
        html.Section(className="card", id="build-card", **{"aria-labelledby": "build-heading"}, children=[
            html.H2(rt("build_title", lang), id="build-heading"),
            html.P(rt("build_help", lang)),
            html.Button(rt("build_start", lang), id="build-start", className="btn-export"),
            html.Div(id="build-status", role="status"),
        ]),
        changes_view.section(ctx),
    ])


def _upload(ctx: PageContext) -> html.Section:
    lang = ctx.lang
    centres = list(known_codes()) if ctx.scope.everything else sorted(ctx.scope.centres)
    limits = UploadLimits.from_environment()
    data: dict[str, Any] = {  # for assets/routine.js: where to send, the limit, the words it shows
        "data-url": "/deliveries/upload", "data-lang": lang, "data-max-bytes": str(limits.max_bytes),
        "data-text-sending": rt("upload_sending", lang), "data-text-too-large": rt("upload_too_large", lang),
        "data-text-none": rt("upload_none_chosen", lang), "data-text-refused": rt("upload_refused", lang),
        "data-mb": f"{limits.max_bytes / MIB:,.0f}",
    }
    return html.Section(className="card upload", id="upload-card", **{"aria-labelledby": "upload-heading"}, **data,
                        children=[
        html.H2(rt("upload_title", lang), id="upload-heading"),
        html.P(rt("upload_help", lang)),
        html.P(rt("upload_limit", lang).format(files=limits.max_files, mb=f"{limits.max_bytes / MIB:,.0f}"),
               className="note"),
        html.Div(className="upload-fields", children=[
            html.Div(className="filter", children=[
                html.Label(rt("upload_centre", lang), htmlFor="upload-centre"),
                html.Select(id="upload-centre", children=[html.Option(c, value=c) for c in centres]),
            ]),
            html.Div(className="filter", children=[
                html.Label(rt("upload_files", lang), htmlFor="upload-files"),
                # Dash has no file input that leaves the files alone (dcc.Upload reads them into the page as
                # base64): assets/routine.js puts a native <input type=file id=upload-files> here.
                html.Div(id="upload-files-slot", className="file-slot"),
            ]),
            html.Div(rt("upload_drop", lang), id="upload-drop", className="drop-zone"),
            html.Button(rt("upload_submit", lang), id="upload-submit", className="btn-export", type="button"),
        ]),
        html.Div(id="upload-message", role="status", **{"aria-live": "polite"}),
        html.Div(id="upload-status"),
    ])
