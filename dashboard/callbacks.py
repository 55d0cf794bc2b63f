"""Callbacks: URL <-> controls, page rendering, click-to-filter and exports.

The URL is the single source of truth for the view: controls write it, pages read it. Whose
figures is not in the URL: every callback takes the signed-in user's scope (`current_scope()`)
and hands it to every read (figures, months, coverage, filter options, exports, reports).
"""

from __future__ import annotations

import contextvars
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from typing import Any

import dash
import polars as pl
from dash import ALL, MATCH, Input, Output, State, ctx, html, no_update

from charts import figures
from charts.text import chart_table
from dashboard.accessibility import register_accessibility
from dashboard.auth import current_role, current_scope, record
from dashboard.auth.texts import word
from dashboard.card_cache import card_kept_after, kept_card
from dashboard.components import TABLE_BODY, TABLE_OPENED, chart_card, notice, shown_table, table_view
from dashboard.data import ChartData, WarehouseSource
from dashboard.delivery_calendar import incomplete_notice
from dashboard.exports import export_table, to_csv, to_xlsx, with_incomplete
from dashboard.i18n import t
from dashboard.layout import filter_label, filter_options, navigation, period_options
from dashboard.linkage_notice import summed_notice
from dashboard.pages import PAGE_MODULES, chart_by_id
from dashboard.pages.base import Chart, PageContext
from dashboard.report_downloads import ReportWriters, register_report_downloads
from dashboard.state.pages import PAGES, page_allowed
from dashboard.state.url import (
    COMPARISONS,
    FILTER_DIMENSIONS,
    MAX_FILTER_VALUES,
    PRESETS,
    Period,
    ViewState,
    comparison_period,
    date_bounds,
    parse_date,
    parse_view,
    path_of,
    resolve_period,
    to_search,
)
from pipelines.access import Role, Scope
from pipelines.errors import ReachError
from pipelines.formatting import fmt_date, fmt_period
from pipelines.metrics.catalogue import METRICS_BY_NAME
from pipelines.metrics.linkage import SUMMED_NOTICE
from pipelines.metrics.periods import comparison_has_data
from pipelines.metrics.protection import NOTICE, SPARSE_NOTICE, Protection
from pipelines.targets import ProjectTargets

FILTER_IDS = [f"filter-{d}" for d in FILTER_DIMENSIONS]
PAGE_WORKERS = 4
HIDDEN = {"display": "none"}
# Filters whose values are data (which centres, regions, districts and nationalities occur), listed
# only as far as they occur within the user's scope; the others are the contract's fixed code lists.
DATA_FILTERS = ("centre", "region", "district", "nationality")


class Board:
    """What the callbacks share: the data source, the targets and the optional district map."""

    def __init__(self, source: WarehouseSource, targets: ProjectTargets, geojson: dict[str, Any] | None) -> None:
        self.source, self.targets, self.geojson = source, targets, geojson

    def months(self, scope: Scope) -> list[str]:
        project = _months_between(self.targets.period_from, self.targets.period_to)
        data = self.source.data_months(scope) if self.source.published() else []
        return sorted(set(project) | set(data))

    def with_default_period(self, view: ViewState, scope: Scope) -> ViewState:
        """Year/quarter/month presets without a value get the latest one that has data (within `scope`)."""
        if view.preset not in ("year", "quarter", "month"):
            return view
        options = [o["value"] for o in period_options(view.preset, self._latest_months(scope), view.lang)]
        if view.period_value in options or not options:
            return view
        return replace(view, period_value=options[0])

    def _latest_months(self, scope: Scope) -> list[str]:
        data = self.source.data_months(scope) if self.source.published() else []
        return data or self.months(scope)

    def context(self, view: ViewState, protection: Protection, scope: Scope) -> PageContext:
        """The page's context for a user whose figures are `scope`'s (the signed-in user's; no default)."""
        period = resolve_period(view, self.targets.period_from, self.targets.period_to)
        comparison = comparison_period(period, view.comparison)
        return PageContext(self.source, view, period, comparison, protection, self.targets, self.geojson,
                           comparison_has_data=self._has_data(comparison, scope), scope=scope)

    def _has_data(self, comparison: Period | None, scope: Scope) -> bool:
        if comparison is None or not self.source.published():
            return False
        return comparison_has_data(comparison, self.source.coverage(scope))

    def filter_options(self, dimension: str, lang: str, scope: Scope) -> list[dict[str, str]]:
        """A filter's options: for DATA_FILTERS only the values that occur within `scope`."""
        if dimension not in DATA_FILTERS or not self.source.published():
            return filter_options(dimension, lang, None if dimension not in DATA_FILTERS else ())
        return filter_options(dimension, lang, self.source.present_values(dimension, scope))


def _months_between(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def register_callbacks(app: dash.Dash, source: WarehouseSource, targets: ProjectTargets,
                       geojson: dict[str, Any] | None, writers: ReportWriters) -> None:
    board = Board(source, targets, geojson)
    source.pin_requests(app.server)  # each request reads one published build from start to end
    register_report_downloads(app, board, writers)
    register_accessibility(app)

    @app.callback(
        Output("url", "search"),
        Output("preset", "value"), Output("period-value", "value"),
        Output("custom-range", "start_date"), Output("custom-range", "end_date"),
        Output("comparison", "value"), *[Output(i, "value") for i in FILTER_IDS], Output("lang", "value"),
        # Options travel with the values, so a value from the URL always finds its option.
        Output("preset", "options"), Output("period-value", "options"), Output("comparison", "options"),
        *[Output(i, "options") for i in FILTER_IDS],
        Input("url", "search"),
        Input("preset", "value"), Input("period-value", "value"),
        Input("custom-range", "start_date"), Input("custom-range", "end_date"),
        Input("comparison", "value"), *[Input(i, "value") for i in FILTER_IDS], Input("lang", "value"),
        Input("clear-filters", "n_clicks"),
        State("url", "pathname"),
    )
    def sync_url_and_controls(search: str | None, *rest: Any) -> tuple:
        pathname = rest[-1]
        trigger = ctx.triggered_id
        scope = current_scope()
        # On first load every input counts as triggered: whenever the URL is among them, it wins.
        if trigger is None or "url.search" in ctx.triggered_prop_ids:
            view = parse_view(pathname, search)
            normalised = board.with_default_period(view, scope)
            new_search = to_search(normalised)
            # A link with parts left out stays as given, so the page can say what was left out.
            return (new_search if new_search != (search or "") and not view.ignored else no_update,
                    *_control_values(normalised, targets), *_control_options(normalised, board, scope))
        # Apply only what the user changed, on top of the URL: other inputs may hold stale values.
        changes = {item["prop_id"]: item["value"] for item in ctx.triggered}
        changed = apply_control_changes(replace(parse_view(pathname, search), ignored=()), changes)
        changed = board.with_default_period(changed, scope)
        new_search = to_search(changed)
        # Values are sent back too: a dropdown that emptied itself while re-filling gets its value again.
        return (no_update if new_search == (search or "") else new_search,
                *_control_values(changed, targets), *_control_options(changed, board, scope))

    @app.callback(
        Output("nav", "children"), Output("app-title", "children"),
        Output("label-period", "children"), Output("label-period-value", "children"),
        Output("period-value-box", "style"), Output("label-custom", "children"), Output("custom-box", "style"),
        Output("label-comparison", "children"), *[Output(f"label-{d}", "children") for d in FILTER_DIMENSIONS],
        *[Output(f"filter-{d}", "placeholder") for d in FILTER_DIMENSIONS],
        Output("clear-filters", "children"), Output("filter-box-centre", "style"),
        Input("url", "pathname"), Input("url", "search"),
    )
    def translate_controls(pathname: str | None, search: str | None) -> tuple:
        view = parse_view(pathname, search)
        lang = view.lang
        show_value = view.preset in ("year", "quarter", "month")
        role = current_role()
        return (
            navigation(view, tuple(p for p in PAGES if page_allowed(p, role))), t("app_title", lang),
            t("period", lang), t(f"preset_{view.preset}", lang) if show_value else "",
            None if show_value else HIDDEN, f"{t('from', lang)} – {t('to', lang)}",
            None if view.preset == "custom" else HIDDEN,
            t("comparison", lang), *[filter_label(d, lang) for d in FILTER_DIMENSIONS],
            *[t("all", lang) for _ in FILTER_DIMENSIONS],
            t("clear_filters", lang), None if _several_centres(view) else HIDDEN,
        )

    def _several_centres(view: ViewState) -> bool:
        """Whether the centre filter has a choice to offer: two centres with data in the user's scope
        (one centre's dashboard has no centre widget), or a centre already chosen in the URL."""
        if view.filters.get("centre"):
            return True
        scope = current_scope()
        if scope is None or not source.published():
            return False
        return len(source.present_values("centre", scope)) > 1

    @app.callback(
        Output("content", "children"), Output("privacy-banner", "children"), Output("privacy-label", "children"),
        Output("period-line", "children"),
        Input("url", "pathname"), Input("url", "search"), Input("privacy", "value"),
    )
    def render_page(pathname: str | None, search: str | None, privacy: list[str] | None) -> tuple:
        scope = current_scope()
        view = board.with_default_period(parse_view(pathname, search), scope)
        role = current_role()
        protection = _shown_protection(privacy, role)
        exact = protection is Protection.EXACT
        lang = view.lang
        privacy_label = t("privacy_off" if exact else "privacy_on", lang)
        # Once per page: protected figures carry noise, so parts need not add up (disclosure.md).
        banner = notice(t("privacy_off_warning", lang), "warning") if exact else notice(NOTICE[lang], "info")
        if not page_allowed(view.page, role):  # a crafted path: refused below the page, not only in the menu
            refused = word("forbidden_text", lang).format(role=role.value if role else "-")
            return notice(refused, "warning"), None, privacy_label, ""
        if not source.published():
            return notice(t("no_warehouse", lang), "warning"), banner, privacy_label, ""
        context = board.context(view, protection, scope)
        line = _period_line(context)
        if exact:  # every page shown with exact figures, before they are sent
            record(source.home, "protection.off", f"page {path_of(view.page)}", _view_detail(context))
        try:
            figures_page = PAGE_MODULES[view.page].CHARTS and view.page != "quality"
            incomplete = [*incomplete_notice(context), *summed_notice(context)] if figures_page else []
            return [*_ignored_notice(view), *incomplete, *render_content(context)], banner, privacy_label, line
        except ReachError as error:
            return notice(str(error), "warning"), banner, privacy_label, line

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input({"type": "chart", "chart": ALL}, "clickData"),
        State("url", "pathname"), State("url", "search"),
        prevent_initial_call=True,
    )
    def filter_by_click(clicks: list[dict[str, Any] | None], pathname: str | None, search: str | None) -> str:
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return no_update
        points = ctx.triggered[0]["value"].get("points") or []
        custom = points[0].get("customdata") if points else None
        if not isinstance(custom, list) or len(custom) != 2 or custom[0] not in FILTER_DIMENSIONS:
            return no_update
        dimension, code = custom
        if code == figures.REST_CODE:
            return no_update
        view = parse_view(pathname, search).with_filter_toggled(dimension, str(code))
        return to_search(view)

    def asked_chart(pathname: str | None, search: str | None) -> tuple[Chart, Role, ViewState, Scope] | None:
        """The chart whose control triggered the callback, the user's role, the view it was asked in and the
        user's scope; None without a chart of that id or a signed-in role that may see the chart's page."""
        trigger = ctx.triggered_id
        chart, role = chart_by_id(trigger["chart"]) if trigger else None, current_role()
        if chart is None or role is None or not page_allowed(page_of(chart), role):
            return None
        scope = current_scope()
        return chart, role, board.with_default_period(parse_view(pathname, search), scope), scope

    @app.callback(
        Output({"type": TABLE_BODY, "chart": MATCH}, "children"),
        Input({"type": TABLE_OPENED, "chart": MATCH}, "data"),
        State("url", "pathname"), State("url", "search"), State("privacy", "value"),
        prevent_initial_call=True,
    )
    def open_table_view(opened: object, pathname: str | None, search: str | None,
                        privacy: list[str] | None) -> Any:
        """A chart's table view, asked for when it is opened (assets/a11y.js), with the page's protection."""
        asked = asked_chart(pathname, search) if opened else None
        if asked is None:
            return no_update
        chart, role, view, scope = asked
        context = board.context(view, _shown_protection(privacy, role), scope)
        if page_of(chart) != view.page or not chart.shown_in(context):  # only a table the page itself shows
            return no_update
        if context.protection is Protection.EXACT:  # exact figures are audited wherever they are sent
            record(source.home, "protection.off", f"table {chart.id}", _view_detail(context))
        try:
            return chart_table_view(chart, context)
        except ReachError as error:  # the card says so too; the table view says why it is empty
            return shown_table(html.P(str(error), className="note"), view_key(context))

    @app.callback(
        Output("download", "data"),
        Input({"type": "export", "chart": ALL, "fmt": ALL}, "n_clicks"),
        State("url", "pathname"), State("url", "search"), State("privacy", "value"),
        prevent_initial_call=True,
    )
    def export_chart(clicks: list[int | None], pathname: str | None, search: str | None,
                     privacy: list[str] | None) -> dict[str, Any]:
        asked = asked_chart(pathname, search) if any(clicks) else None
        if asked is None or not asked[1].may_export_charts:
            return no_update
        chart, _role, view, scope = asked
        fmt = ctx.triggered_id["fmt"]
        # A download is always protected (access.md): exact figures stay on the screen of whoever switched.
        context = board.context(view, Protection.PROTECTED, scope)
        try:
            data = chart.load(context)
            table = export_table(data.published, view.lang)
            refused = ""
        except ReachError as error:  # a view the metric layer refuses (its bounds): the file says why
            data, table, refused = None, pl.DataFrame(), str(error)
        period = f"{context.period.date_from:%Y%m%d}-{context.period.date_to:%Y%m%d}"
        name = f"{chart.id}_{period}"
        record(source.home, "export.download", f"{name}.{fmt}", _view_detail(context))
        note = refused or NOTICE[view.lang] + (" " + SPARSE_NOTICE[view.lang] if data and data.sparse else "") + (
            " " + SUMMED_NOTICE[view.lang] if data and data.summed else "")
        note = with_incomplete(note, context)  # the months of the period a centre in view has not delivered
        if fmt == "xlsx":
            return dash.dcc.send_bytes(to_xlsx(table, chart.id, view.lang, note), f"{name}.xlsx")
        return {"content": to_csv(table, note), "filename": f"{name}.csv", "type": "text/csv"}


def _shown_protection(privacy: list[str] | None, role: Role | None) -> Protection:
    """Only a role that may switch protection off gets exact figures; for any other the switch is ignored."""
    exact = not privacy and role is not None and role.may_switch_protection
    return Protection.EXACT if exact else Protection.PROTECTED


def render_content(context: PageContext) -> list[Any]:
    """The page's header (KPI cards, tables) and its chart cards (those kept for this view, the others drawn)."""
    module = PAGE_MODULES[context.view.page]
    parts: list[Any] = []
    header = getattr(module, "header", None)
    role = current_role()
    charts = [chart for chart in module.CHARTS if chart.shown_in(context)]
    kept = {chart.id: _kept_card(chart, context, role) for chart in charts}
    to_draw = [chart for chart in charts if kept[chart.id] is None]
    if to_draw:
        # The page's queries are independent: DuckDB runs them side by side on separate cursors.
        with ThreadPoolExecutor(max_workers=PAGE_WORKERS) as pool:
            # Each task runs in a copy of this context, so it reads the build this request pinned.
            pending_header = (pool.submit(contextvars.copy_context().run, header, context)
                              if header is not None else None)
            pending = {chart.id: pool.submit(contextvars.copy_context().run, _chart_card, chart, context, role)
                       for chart in to_draw}
            if pending_header is not None:
                parts.append(pending_header.result())
            kept.update({chart_id: task.result() for chart_id, task in pending.items()})
    elif header is not None:  # every card kept: no worker threads to start
        parts.append(header(context))
    cards = [kept[chart.id] for chart in charts]
    if cards:
        parts.append(html.Div(t("click_hint", context.lang), className="hint"))
        parts.append(html.Div(cards, className="chart-grid"))
    return parts


def _kept_card(chart: Chart, context: PageContext, role: Role | None) -> html.Section | None:
    try:
        return kept_card(chart.id, context, role)
    except ReachError:  # no build to read: drawn below, which says why
        return None


def _chart_card(chart: Chart, context: PageContext, role: Role | None) -> html.Section:
    """The chart's card, drawn once per build, scope, role and view (dashboard/card_cache.py)."""
    lang = context.lang
    try:
        return card_kept_after(chart.id, context, role, lambda: _drawn_card(chart, context, role))
    except ReachError as error:  # not kept: said again on every view (its cause may be gone by then)
        figure = figures.empty_figure(str(error), lang)
        return chart_card(chart.id, chart.title_in(lang), figure, lang, wide=chart.wide, view_key=view_key(context))


def _drawn_card(chart: Chart, context: PageContext, role: Role | None) -> html.Section:
    lang = context.lang
    data = chart.load(context)
    figure = chart.draw(data, context)
    return chart_card(chart.id, chart.title_in(lang), figure, lang, hidden=data.hidden, sparse=data.sparse,
                      ignored_filters=data.ignored_filters, wide=chart.wide,
                      exports=role is not None and role.may_export_charts,
                      trace=_traced_metric(data, context), view_key=view_key(context))


def view_key(context: PageContext) -> str:
    """Which view a card and its table view show (page, filters, period and protection), as a digest:
    the page never repeats a request's filter values (a crafted one may name another centre)."""
    view = f"{path_of(context.view.page)}{to_search(context.view)}|{context.protection.value}"
    return hashlib.blake2b(view.encode(), digest_size=8).hexdigest()


def chart_table_view(chart: Chart, context: PageContext) -> html.Div:
    """The chart's table view: the figures it draws in this view (the result cache has them), as a table
    whose row buttons are pressed for the view's filters, marked with the view it shows."""
    lang = context.lang
    figure = chart.draw(chart.load(context), context)
    table = table_view(chart.id, chart.title_in(lang), chart_table(figure, lang), lang, context.view.filters)
    return shown_table(table, view_key(context))


def _traced_metric(data: ChartData, context: PageContext) -> str | None:
    """The metric a chart's "where does this come from" traces: its first one (none on Data quality's marts)."""
    if context.view.page == "quality":
        return None
    return next((c for c in data.published.columns if c in METRICS_BY_NAME), None)


def page_of(chart: Chart) -> str:
    return next(key for key, module in PAGE_MODULES.items() if chart in module.CHARTS)


def _view_detail(context: PageContext) -> str:
    """Which figures, for the audit log: period, filters and the user's scope (never a figure)."""
    filters = "; ".join(f"{d}={','.join(codes)}" for d, codes in context.view.filters.items()) or "no filters"
    return (f"period {context.period.date_from:%Y-%m-%d}..{context.period.date_to:%Y-%m-%d}; {filters}; "
            f"scope {context.scope.describe()}")


def _ignored_notice(view: ViewState) -> list[Any]:
    if not view.ignored:
        return []
    earliest, latest = date_bounds()
    text = t("link_ignored", view.lang).format(
        params=", ".join(view.ignored), earliest=fmt_date(earliest, view.lang), latest=fmt_date(latest, view.lang))
    return [notice(text, "warning")]


def _period_line(context: PageContext) -> str:
    lang = context.lang
    text = f"{t('period', lang)}: {fmt_period(context.period.date_from, context.period.date_to, lang)}"
    if context.comparison:
        text += f" · {t('comparison', lang)}: " + fmt_period(context.comparison.date_from,
                                                              context.comparison.date_to, lang)
    return text


def apply_control_changes(view: ViewState, changes: dict[str, Any]) -> ViewState:
    """The view after the triggered controls' new values (prop id -> value); empty values of
    single-choice controls are ignored (a dropdown being re-filled, not a user choice)."""
    filters = dict(view.filters)
    for prop, value in changes.items():
        control = prop.rsplit(".", 1)[0]
        if control == "preset" and value in PRESETS and value != view.preset:
            view = replace(view, preset=value, period_value="")
        elif control == "period-value" and value:
            view = replace(view, period_value=str(value))
        elif prop == "custom-range.start_date" and _date(value):
            view = replace(view, custom_from=_date(value))
        elif prop == "custom-range.end_date" and _date(value):
            view = replace(view, custom_to=_date(value))
        elif control == "comparison" and value in COMPARISONS:
            view = replace(view, comparison=value)
        elif control == "lang" and value in ("cs", "en"):
            view = replace(view, lang=value)
        elif control == "clear-filters":
            filters = {}
        elif control.startswith("filter-") and control.removeprefix("filter-") in FILTER_DIMENSIONS:
            dimension = control.removeprefix("filter-")
            filters.pop(dimension, None)
            codes = _codes(value)
            if codes:
                filters[dimension] = codes
    return replace(view, filters={d: filters[d] for d in FILTER_DIMENSIONS if d in filters})


def _control_values(view: ViewState, targets: ProjectTargets) -> tuple:
    return (
        view.preset, view.period_value or None,
        (view.custom_from or targets.period_from).isoformat(), (view.custom_to or targets.period_to).isoformat(),
        view.comparison, *[list(view.filters.get(d, ())) for d in FILTER_DIMENSIONS], view.lang,
    )


def _control_options(view: ViewState, board: Board, scope: Scope) -> tuple:
    lang = view.lang
    return (
        [{"label": t(f"preset_{p}", lang), "value": p} for p in PRESETS],
        period_options(view.preset, board.months(scope), lang),
        [{"label": t(f"compare_{c}", lang), "value": c} for c in COMPARISONS],
        *[board.filter_options(d, lang, scope) for d in FILTER_DIMENSIONS],
    )


def _codes(value: object) -> tuple[str, ...]:
    """A multi-select's value: a list of codes; anything else a forged payload may send is no choice."""
    if not isinstance(value, list | tuple) or len(value) > MAX_FILTER_VALUES:
        return ()
    return tuple(dict.fromkeys(str(v) for v in value if isinstance(v, str | int) and str(v)))


def _date(text: object) -> date | None:
    return parse_date(text)  # the date pickers' values are bounded like the URL's
