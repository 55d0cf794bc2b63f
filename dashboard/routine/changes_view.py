"""The Deliveries page's "what changed": each delivery of the user's centres, by file, and the headline moves.

Headline moves (pipelines/changes.py) are EXACT figures of two builds. They are shown only to a
user who sees exact figures now (an admin or analyst with protection off: the page is then
audited as `protection.off`, dashboard/callbacks.py); with protection on, the months a delivery
touched are listed with the current warehouse's protected headline figures (the metric layer),
never a before/after difference, which would tell small exact changes.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.pages.base import PageContext
from dashboard.routine import views
from dashboard.routine.texts import rt
from pipelines.changes import HEADLINES, delivery_changes, headline_moves
from pipelines.deliveries import list_deliveries
from pipelines.errors import ReachError
from pipelines.metrics import MetricQuery
from pipelines.metrics.protection import Protection

MOVES_FOR = 3  # the newest deliveries whose headline moves are shown (each reads two builds' figures)


def section(ctx: PageContext) -> html.Section:
    lang = ctx.lang
    home = ctx.source.home
    body: list[Any]
    try:
        records = {d.delivery_id: d for d in list_deliveries(home)} if home.raw_db.exists() else {}
        changes = [c for c in (delivery_changes(home) if records else [])
                   if ctx.scope.everything or c.centre in ctx.scope.centres]
        body = [views.changes_table(changes, {k: r.loaded_at for k, r in records.items()}, lang)]
        for index, change in enumerate(reversed(changes)):
            body.append(html.Details(className="delivery-changes", id=f"changes-details-{index}", children=[
                html.Summary(f"{rt('delivery', lang)} {change.delivery_id[:12]} ({change.centre}, "
                             f"{change.source.rsplit('/', 1)[-1]})"),
                views.file_changes(change, lang),
                *(_moves(ctx, change) if index < MOVES_FOR else []),
            ]))
    except ReachError as error:
        body = [html.P(str(error), className="notice notice-warning")]
    return html.Section(className="card", id="changes-card", **{"aria-labelledby": "changes-heading"}, children=[
        html.H2(rt("changes_title", lang), id="changes-heading"),
        html.P(rt("changes_help", lang)),
        *body,
    ])


def _moves(ctx: PageContext, change: Any) -> list[Any]:
    lang = ctx.lang
    title = html.H3(rt("moves_title", lang))
    if ctx.protection is Protection.EXACT:
        return [title, views.exact_moves(headline_moves(ctx.source.home, change.delivery_id), lang)]
    span = views.month_span(change.months)
    parts: list[Any] = [title, html.P(rt("moves_protected", lang), className="note")]
    if span is None or not ctx.source.published():
        return parts
    data = ctx.source.figures(MetricQuery(date_from=span[0], date_to=span[1], metrics=HEADLINES, by=("month",),
                                          where={"centre": (change.centre,)}, protection=Protection.PROTECTED,
                                          scope=ctx.scope))
    frame = None if data.sparse else data.frame
    parts.append(views.protected_months(frame, change.months, lang, change.delivery_id))
    return parts
