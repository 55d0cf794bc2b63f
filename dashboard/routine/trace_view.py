"""The "where does this come from" view of a KPI card or a chart (issue 15 item 4).

A card's button ({"type": "trace", "metric": m, "card": its card}) opens a panel with the metric's definition (the
catalogue), the period and filters of the view, the figure, and the delivery files whose rows
make it up (pipelines/metrics/trace.py), for the signed-in user's scope. Protected unless the
user may switch protection off and has (then audited as `protection.off`, like a page). A chart's
button traces the chart's metric under the view's filters; clicking a bar filters by it, so the
trace then covers that bar.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, html, no_update

from dashboard.auth import current_role, current_scope, record
from dashboard.callbacks import Board
from dashboard.components import notice
from dashboard.layout import filters_in_force
from dashboard.routine.texts import rt
from dashboard.routine.views import table
from dashboard.state.pages import page_allowed
from dashboard.state.url import parse_view
from pipelines.errors import ReachError
from pipelines.formatting import fmt_datetime, fmt_decimal, fmt_int, fmt_period
from pipelines.metrics import MetricQuery
from pipelines.metrics.catalogue import METRICS_BY_NAME, dimension_name, metric_name
from pipelines.metrics.protection import Protection
from pipelines.metrics.trace import Trace, trace_figure


def register_trace(app: dash.Dash, board: Board) -> None:
    @app.callback(
        Output("trace-panel", "children"),
        Input({"type": "trace", "metric": ALL, "card": ALL}, "n_clicks"),
        Input({"type": "trace-close", "index": ALL}, "n_clicks"),
        State("url", "pathname"), State("url", "search"), State("privacy", "value"),
        prevent_initial_call=True,
    )
    def open_trace(clicks: list[int | None], closes: list[int | None], pathname: str | None, search: str | None,
                   privacy: list[str] | None) -> Any:
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") == "trace-close":
            return [] if any(closes or []) else no_update
        if not isinstance(trigger, dict) or not any(c for c in clicks or [] if c):
            return no_update
        metric = trigger.get("metric")
        role, scope = current_role(), current_scope()
        view = parse_view(pathname, search)
        if metric not in METRICS_BY_NAME or not page_allowed(view.page, role) or not board.source.published():
            return no_update
        exact = not privacy and role is not None and role.may_switch_protection
        protection = Protection.EXACT if exact else Protection.PROTECTED
        view = board.with_default_period(view, scope)
        context = board.context(view, protection, scope)
        query = MetricQuery(date_from=context.period.date_from, date_to=context.period.date_to, metrics=(metric,),
                            where=dict(view.filters), protection=protection, scope=scope)
        try:
            if exact:  # exact counts on this screen: written down first, like a page shown with them
                record(board.source.home, "protection.off", f"trace {metric}",
                       f"period {query.date_from}..{query.date_to}; scope {scope.describe()}")
            with board.source.cursor() as cursor:
                found = trace_figure(cursor, query)
        except ReachError as error:
            return _panel(metric, view.lang, [notice(str(error), "warning")])
        return _panel(metric, view.lang, trace_content(found, view, view.lang))


def _panel(metric: str, lang: str, body: list[Any]) -> html.Section:
    return html.Section(className="card trace", id="trace-view", **{"aria-labelledby": "trace-heading"}, children=[
        html.Div(className="card-head", children=[
            html.H2(rt("trace_title", lang).format(metric=metric_name(metric, lang)), id="trace-heading"),
            html.Button(rt("trace_close", lang), id={"type": "trace-close", "index": 0}, className="btn-export"),
        ]),
        *body,
    ])


def trace_content(found: Trace, view: Any, lang: str) -> list[Any]:
    metric = METRICS_BY_NAME[found.metric]
    period = fmt_period(found.query.date_from, found.query.date_to, lang)
    figure = "x" if found.figure is None else (
        fmt_int(found.figure, lang) if float(found.figure).is_integer() else fmt_decimal(found.figure, lang))
    parts: list[Any] = [
        html.H3(rt("trace_definition", lang)), html.P(metric.definition(lang)),
        html.H3(rt("trace_view", lang)), html.P(period), html.P(filters_in_force(view)),
    ]
    if found.ignored:
        names = ", ".join(dimension_name(d, lang) for d in found.ignored)
        parts.append(html.P(rt("trace_ignored", lang).format(names=names), className="note"))
    parts += [html.P(f"{rt('trace_figure', lang)}: {figure}", id="trace-figure"), html.H3(rt("trace_files", lang))]
    if found.sparse and not found.exact:
        return [*parts, notice(rt("trace_sparse", lang))]
    # An event's rows name no one: a file's count is withheld for too few events, not people.
    hidden = rt("trace_hidden" if found.names_people else "trace_hidden_events", lang)
    rows = [[f.centre, f.delivery_id[:12], fmt_datetime(f.loaded_at, lang) if f.loaded_at else "",
             f.source.rsplit("/", 1)[-1], f.file_name, f.sha256[:16] + "…",
             hidden if f.rows is None else fmt_int(f.rows, lang)] for f in found.files]
    rows.append([rt("trace_rows_total", lang), "", "", "", "", "", fmt_int(found.rows_shown, lang)
                 + (f" + {found.hidden_files} × {hidden}" if found.hidden_files else "")])
    headers = [rt(k, lang) for k in ("centre", "delivery", "loaded_at", "source", "file", "hash", "rows")]
    note = "trace_rows_note_exact" if found.exact else (
        "trace_rows_note_protected" if found.names_people else "trace_rows_note_events")
    return [*parts, table(headers, rows, "trace-files", rt("trace_files", lang), numeric=(6,)),
            html.P(rt(note, lang), className="note")]
