"""Callbacks of the Deliveries page: progress and results of uploads and builds, starting a build, filtering quarantine.

Each checks the signed-in role on the server (the page's roles, dashboard/state/pages.py) whatever
the browser sends; an upload's summary is shown only to the user who uploaded it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from dash import MATCH, Input, Output, State, ctx, no_update

from dashboard.auth import current_account, current_scope, record
from dashboard.auth.server import request_actor
from dashboard.routine import views
from dashboard.routine.jobs import RUNNING, Job, Jobs
from dashboard.state.pages import page_allowed
from dashboard.state.url import parse_view
from pipelines import audit
from pipelines.build_progress import BuildProgress, BuildReport
from pipelines.home import Home

PAGE = "deliveries"
# Builds, checks and publishes the warehouse, telling the callback its steps; -> the summary (reach build's text).
Build = Callable[[Home, BuildReport], str]


def _signature(job: Job | None) -> list[Any] | None:
    """What a status shows of `job`: a new step or count redraws it, as does each second of a running job."""
    if job is None:
        return None
    running = job.state == RUNNING
    return [job.id, job.state, job.progress if running else None, int(job.seconds) if running else None]


def build_progress(report: BuildProgress) -> dict[str, Any]:
    """A build's report as the job keeps it (plain data: it goes into the page's store via _signature)."""
    return {"step": report.step, "number": report.number, "steps": report.steps, "done": report.done,
            "total": report.total, "completed": report.completed}


def _allowed() -> bool:
    account = current_account()
    return account is not None and page_allowed(PAGE, account.role)


def register_delivery_callbacks(app: dash.Dash, home: Home, jobs: Jobs, build: Build | None) -> None:
    # The tick writes only what changed into two stores; the statuses are drawn from those. A callback
    # that returns no_update for a visible output leaves Dash's loading mark on it (seen with Dash 4.4:
    # data-dash-is-loading stayed "true" for as long as the page ticked), so no drawn element is ever
    # the output of the tick itself.
    @app.callback(
        Output("upload-seen", "data"), Output("build-seen", "data"),
        Input("routine-tick", "n_intervals"), Input("upload-job", "data"),
        State("upload-seen", "data"), State("build-seen", "data"), State("url", "search"), State("url", "pathname"),
    )
    def poll(_tick: int | None, _job: str | None, upload_seen: Any, build_seen: Any, search: str | None,
             pathname: str | None) -> tuple:
        if not _allowed():
            return no_update, no_update
        lang = parse_view(pathname, search).lang
        upload = [lang, _signature(jobs.latest("upload", current_account().name))]
        building = [lang, _signature(jobs.latest("build"))]
        return (upload if upload != upload_seen else no_update,
                building if building != build_seen else no_update)

    @app.callback(
        Output("upload-status", "children"),
        Input("upload-seen", "data"), State("url", "search"), State("url", "pathname"),
        prevent_initial_call=True,
    )
    def draw_upload(_seen: Any, search: str | None, pathname: str | None) -> Any:
        if not _allowed():
            return no_update
        return views.upload_status(jobs.latest("upload", current_account().name), parse_view(pathname, search).lang)

    @app.callback(
        Output("build-status", "children"),
        Input("build-seen", "data"), State("url", "search"), State("url", "pathname"),
        prevent_initial_call=True,
    )
    def draw_build(_seen: Any, search: str | None, pathname: str | None) -> Any:
        if not _allowed():
            return no_update
        return views.build_status(jobs.latest("build"), parse_view(pathname, search).lang, home.quality_dir,
                                  current_scope())

    @app.callback(
        Output("build-status", "children", allow_duplicate=True),
        Input("build-start", "n_clicks"), State("url", "search"), State("url", "pathname"),
        prevent_initial_call=True,
    )
    def start_build(clicks: int | None, search: str | None, pathname: str | None) -> Any:
        if not clicks or not _allowed() or build is None:
            return no_update
        lang = parse_view(pathname, search).lang
        running = jobs.latest("build")
        if running is not None and running.state == RUNNING:  # one build at a time: say so, show its progress
            return views.build_status(running, lang, home.quality_dir, current_scope(), refused=True)
        record(home, "build.start", "warehouse", "started from the dashboard")  # before the build, or not at all
        actor = request_actor()

        def work(job: Job) -> str:
            def report(step: BuildProgress) -> None:
                job.progress = build_progress(step)  # one assignment: a poll reads the old report or the new

            try:
                summary = build(home, report)
            except BaseException:
                audit.record(home, actor, "build.failed", "warehouse", "started from the dashboard; not published")
                raise
            audit.record(home, actor, "build.published", "warehouse", "started from the dashboard")
            return summary

        job, started = jobs.start("build", actor.user, "", work)
        return views.build_status(job, lang, home.quality_dir, current_scope(), refused=not started)

    @app.callback(
        Output({"type": "quarantine-table", "index": MATCH}, "children"),
        Input({"type": "quarantine-filter", "index": MATCH}, "value"),
        State("url", "search"), State("url", "pathname"),
        prevent_initial_call=True,
    )
    def filter_quarantine(text: str | None, search: str | None, pathname: str | None) -> Any:
        if not _allowed():
            return no_update
        upload = jobs.latest("upload", current_account().name)
        index = ctx.triggered_id["index"] if ctx.triggered_id else None
        if upload is None or upload.result is None or not isinstance(index, int):
            return no_update
        deliveries = upload.result["deliveries"]
        if not 0 <= index < len(deliveries):
            return no_update
        return views.quarantine_table(deliveries[index]["quarantine"], index, parse_view(pathname, search).lang,
                                      str(text or "")[:200])
