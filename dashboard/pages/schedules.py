"""Schedules (admin only, dashboard/state/pages.py): the scheduled reports, added, edited and deleted.

Through the API of pipelines/schedule/store.py (validated, versioned, locked, audited as
schedule.add/edit/delete); each problem of a form is shown beside its field. The callbacks are in
dashboard/routine/schedules_view.py.
"""

from __future__ import annotations

from dash import html

from dashboard.pages.base import Chart, PageContext
from dashboard.routine.schedules_view import schedule_page

CHARTS: tuple[Chart, ...] = ()


def header(ctx: PageContext) -> html.Div:
    return schedule_page(ctx.source.home, ctx.lang)
