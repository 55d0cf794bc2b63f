"""The Schedules page: the list of entries (with next due time and last send) and the add/edit form.

Every change goes through pipelines/schedule/store.py with the version the page read, so an edit
made meanwhile by someone else (or `reach` on the server) is refused instead of overwritten.
Problems of the form (ScheduleError.problems) are shown beside their fields.
"""

from __future__ import annotations

import re
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard.auth import current_role
from dashboard.auth.server import request_actor
from dashboard.components import notice
from dashboard.routine.texts import rt
from dashboard.routine.views import table
from dashboard.state.pages import page_allowed
from dashboard.state.url import parse_view
from pipelines.errors import ReachError
from pipelines.formatting import fmt_datetime
from pipelines.home import Home
from pipelines.schedule.model import DEFAULT_FRAMEWORK, LANGS, PERIOD_RULES, REPORTS, ScheduleError
from pipelines.schedule.store import add_entry, delete_entry, list_entries, read_schedule, replace_entry

PAGE = "schedules"
FIELDS = ("id", "report", "centres", "period", "recipients", "when", "lang", "framework")
_SPLIT = re.compile(r"[,;\s]+")


def schedule_page(home: Home, lang: str) -> html.Div:
    view = read_schedule(home)
    return html.Div([
        dcc.Store(id="schedule-version", data=view.version),
        dcc.Store(id="schedule-editing", data=None),
        html.Section(className="card", **{"aria-labelledby": "schedules-heading"}, children=[
            html.H2(rt("schedules_title", lang), id="schedules-heading"),
            html.P(rt("schedules_help", lang)),
            html.Div(entries_table(home, lang), id="schedule-list"),
        ]),
        html.Section(className="card", **{"aria-labelledby": "schedule-form-heading"}, children=[
            html.H2(rt("schedule_add_title", lang), id="schedule-form-heading"),
            html.Div(id="schedule-message", role="status"),
            html.Div(className="schedule-form", children=[_field(name, lang) for name in FIELDS]),
            html.Button(rt("schedule_save", lang), id="schedule-save", className="btn-export"),
            html.Button(rt("schedule_new", lang), id="schedule-new", className="btn-clear"),
        ]),
    ])


def _field(name: str, lang: str) -> html.Div:
    control_id = f"schedule-{name}"
    label = rt(f"schedule_{name}", lang) if name != "framework" else "Framework"
    if name == "report":
        control: Any = dcc.Dropdown(id=control_id, options=list(REPORTS), value="board-pdf", clearable=False)
    elif name == "period":
        control = dcc.Dropdown(id=control_id, options=list(PERIOD_RULES), value=PERIOD_RULES[0], clearable=False)
    elif name == "lang":
        control = dcc.Dropdown(id=control_id, options=list(LANGS), value="cs", clearable=False)
    elif name == "recipients":
        control = dcc.Textarea(id=control_id, value="", rows=2)
    else:
        control = dcc.Input(id=control_id, type="text", value=DEFAULT_FRAMEWORK if name == "framework" else "",
                            debounce=False)
    return html.Div(className="filter schedule-field", children=[
        html.Label(label, htmlFor=control_id, id=f"{control_id}-label"),
        control,
        html.Div(id=f"{control_id}-error", className="field-error", role="alert"),
    ])


def entries_table(home: Home, lang: str) -> Any:
    try:
        entries = list_entries(home)
    except ReachError as error:
        return notice(str(error), "warning")
    if not entries:
        return html.P(rt("schedule_none", lang))
    headers = [rt(k, lang) for k in ("schedule_id", "schedule_report", "schedule_centres", "schedule_period",
                                      "schedule_recipient_count", "schedule_when", "schedule_next", "schedule_last",
                                      "schedule_failure", "schedule_edit", "schedule_delete")]
    rows = []
    for s in entries:
        e, state = s.entry, s.state
        rows.append([e.id, e.report, e.scope_text(), e.period, len(e.recipients), e.when,
                     fmt_datetime(s.next_due, lang), _last(state, lang), (state.failure or "")[:200] if state.failing
                     else ""])
    built = table(headers, rows, "schedule-table", rt("schedules_title", lang), numeric=(4,))
    body = built.children[2]  # the buttons go into the last two cells of each row
    for row, s in zip(body.children, entries, strict=True):
        row.children[-2].children = html.Button(rt("schedule_edit", lang), id={"type": "schedule-edit",
                                                                             "entry": s.entry.id},
                                                **{"aria-label": f"{rt('schedule_edit', lang)} {s.entry.id}"})
        row.children[-1].children = html.Button(rt("schedule_delete", lang), id={"type": "schedule-delete",
                                                                               "entry": s.entry.id},
                                                **{"aria-label": f"{rt('schedule_delete', lang)} {s.entry.id}"})
    return built


def _last(state: Any, lang: str) -> str:
    due = getattr(state, "last_sent_due", None)
    period = getattr(state, "last_period", None) or ""
    return f"{fmt_datetime(due, lang)} ({period})" if due else "—"


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as an entry for the store: lists split at commas, only the report's own option."""
    centres = str(values.get("centres") or "").strip()
    data: dict[str, Any] = {
        "id": str(values.get("id") or "").strip(), "report": values.get("report") or "",
        "centres": "all" if centres.lower() == "all" else [c.upper() for c in _SPLIT.split(centres) if c],
        "period": values.get("period") or "", "when": str(values.get("when") or "").strip(),
        "recipients": [r for r in _SPLIT.split(str(values.get("recipients") or "")) if r],
    }
    family = REPORTS.get(data["report"], ("", ""))[0]
    if family == "board":
        data["lang"] = values.get("lang") or "cs"
    elif family == "ministry":
        data["framework"] = str(values.get("framework") or DEFAULT_FRAMEWORK).strip()
    return data


def register_schedule_callbacks(app: dash.Dash, home: Home) -> None:
    field_outputs = [Output(f"schedule-{name}", "value") for name in FIELDS]
    error_outputs = [Output(f"schedule-{name}-error", "children") for name in FIELDS]

    @app.callback(
        Output("schedule-list", "children"), Output("schedule-message", "children"),
        Output("schedule-version", "data"), Output("schedule-editing", "data"), *field_outputs, *error_outputs,
        Input("schedule-save", "n_clicks"), Input("schedule-new", "n_clicks"),
        Input({"type": "schedule-edit", "entry": ALL}, "n_clicks"),
        Input({"type": "schedule-delete", "entry": ALL}, "n_clicks"),
        *[State(f"schedule-{name}", "value") for name in FIELDS],
        State("schedule-version", "data"), State("schedule-editing", "data"),
        State("url", "search"), State("url", "pathname"),
        prevent_initial_call=True,
    )
    def change(_save: Any, _new: Any, edits: list[Any], deletes: list[Any], *rest: Any) -> tuple:
        values = dict(zip(FIELDS, rest[:len(FIELDS)], strict=True))
        version, editing, search, pathname = rest[len(FIELDS):]
        keep = (no_update,) * len(FIELDS)
        nothing = (no_update, no_update, no_update, no_update, *keep, *keep)
        trigger = ctx.triggered_id
        if not page_allowed(PAGE, current_role()) or trigger is None:
            return nothing
        lang = parse_view(pathname, search).lang
        cleared = ("",) * len(FIELDS)
        if trigger == "schedule-new":
            return (no_update, "", no_update, None, "", "board-pdf", "", PERIOD_RULES[0], "", "", "cs",
                    DEFAULT_FRAMEWORK, *cleared)
        if isinstance(trigger, dict) and trigger.get("type") == "schedule-edit":
            if not any(edits):
                return nothing
            view = read_schedule(home)
            entry = next((e for e in view.schedule.entries if e.id == trigger["entry"]), None)
            if entry is None:
                return nothing
            return (no_update, notice(rt("schedule_editing", lang).format(id=entry.id)), view.version, entry.id,
                    entry.id, entry.report, ", ".join(entry.centres) or "all", entry.period,
                    ", ".join(entry.recipients), entry.when, entry.lang, entry.framework, *cleared)
        try:
            if isinstance(trigger, dict) and trigger.get("type") == "schedule-delete":
                if not any(deletes):
                    return nothing
                delete_entry(home, trigger["entry"], request_actor(), expected_version=version)
                message = notice(rt("schedule_deleted", lang).format(id=trigger["entry"]), "ok")
            elif editing:
                replace_entry(home, editing, form_data(values), request_actor(), expected_version=version)
                message = notice(rt("schedule_saved", lang), "ok")
            else:
                add_entry(home, form_data(values), request_actor(), expected_version=version)
                message = notice(rt("schedule_saved", lang), "ok")
        except ScheduleError as error:
            by_field: dict[str, list[str]] = {name: [] for name in FIELDS}
            for problem in error.problems:
                by_field.get(problem.field, by_field["id"]).append(problem.message)
            return (no_update, notice(rt("schedule_invalid", lang) + "; ".join(p.text() for p in error.problems),
                                      "warning"), no_update, no_update, *keep,
                    *["; ".join(by_field[name]) for name in FIELDS])
        except ReachError as error:
            return (no_update, notice(str(error), "warning"), no_update, no_update, *keep, *cleared)
        return (entries_table(home, lang), message, read_schedule(home).version, None, *keep, *cleared)
