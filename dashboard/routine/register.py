"""Wiring of the routine's routes and callbacks into the app (called once by dashboard/app.py)."""

from __future__ import annotations

from typing import Any

import dash

from dashboard.callbacks import Board
from dashboard.data import WarehouseSource
from dashboard.routine.callbacks import Build, register_delivery_callbacks
from dashboard.routine.jobs import Jobs
from dashboard.routine.routes import register_routes
from dashboard.routine.schedules_view import register_schedule_callbacks
from dashboard.routine.trace_view import register_trace
from pipelines.targets import ProjectTargets


def register_routine(app: dash.Dash, source: WarehouseSource, targets: ProjectTargets,
                     geojson: dict[str, Any] | None, build: Build | None) -> Jobs:
    """`build`: the composition root's build runner (reach.build.build_warehouse wrapped); None: no button works."""
    jobs = Jobs()
    app.server.extensions["reach_jobs"] = jobs  # for benches and tests: wait for a job to finish
    register_routes(app.server, source.home, jobs)
    register_delivery_callbacks(app, source.home, jobs, build)
    register_schedule_callbacks(app, source.home)
    register_trace(app, Board(source, targets, geojson))
    return jobs
