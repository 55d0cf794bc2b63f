"""The delivery calendar as the dashboard shows it (pipelines/delivery_calendar.py computes it).

`calendar_for(ctx)` reads it once per published build and day (every centre, cached), then narrows
it to the user's scope; `calendar_table` draws it as an accessible HTML table (caption, header
cells, status as text and colour); `incomplete_notice` names, on every figures page, the centres
in view whose deliveries of months in the selected period have not arrived.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Any

from dash import html

from dashboard.components import notice
from dashboard.i18n import t
from pipelines.delivery_calendar import Calendar, Cell, Deliveries, Status, due_date, missing_items, read_deliveries
from pipelines.errors import ReachError
from pipelines.formatting import fmt_date
from pipelines.metrics.catalogue import month_label
from pipelines.reference.centres import centres as seed_centres

if TYPE_CHECKING:  # dashboard.pages imports every page, and the quality page imports this module
    from dashboard.pages.base import PageContext

# Colours of the statuses (text on background, WCAG AA contrast); the status is always written too.
COLOURS: dict[Status, dict[str, str]] = {
    Status.ON_TIME: {"backgroundColor": "#d8efdf", "color": "#14452a"},
    Status.LATE: {"backgroundColor": "#fcebc4", "color": "#5c4100"},
    Status.MISSING: {"backgroundColor": "#f6d5d8", "color": "#7a1521"},
    Status.PENDING: {"backgroundColor": "#e4e6ea", "color": "#363b42"},
    Status.NOT_EXPECTED: {"backgroundColor": "#ffffff", "color": "#5a6169"},
}
CENTRE_FILTER = "centre"  # the view's centre filter narrows the notice (dashboard/state/url.py)
_CACHE_SIZE = 4
_cache: dict[tuple[str, Any], Deliveries] = {}
_lock = threading.Lock()


def calendar_for(ctx: PageContext, today: date | None = None) -> Calendar:
    """The calendar of the published build within the user's scope (ReachError if it cannot be read now).

    What the deliveries brought is read once per published build (the raw layer's versions: the
    costly part) and kept for every user; the statuses follow from it and today's date at each call.
    """
    key = (str(ctx.source.home.root), ctx.source.built_at())
    with _lock:
        found = _cache.get(key)
        if found is None:
            with ctx.source.cursor() as cursor:
                found = read_deliveries(ctx.source.home, cursor)
            if len(_cache) >= _CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[key] = found
    return found.calendar(today=today).within(ctx.scope)


def status_text(cell: Cell, lang: str) -> str:
    text = t(f"delivery_{cell.status.value}", lang)
    return f"{text}, {t('delivery_corrected', lang)}" if cell.corrected else text


def _detail(cell: Cell, calendar: Calendar, lang: str) -> str:
    due = fmt_date(due_date(cell.month, calendar.settings), lang)
    if cell.loaded_at is None:
        return t("delivery_due", lang).format(due=due)
    return t("delivery_detail", lang).format(loaded=fmt_date(cell.loaded_at.date(), lang), due=due)


def _centre_name(code: str) -> str:
    return next((c.name for c in seed_centres() if c.code == code), code)


def calendar_table(calendar: Calendar, lang: str) -> html.Div:
    """Centres (rows) x months (columns); each cell its status in words, coloured, its dates as a title."""
    months = [month_label(m.strftime("%Y-%m"), lang) for m in calendar.months]
    head = html.Thead(html.Tr([html.Th(t("calendar_centre", lang), scope="col")]
                              + [html.Th(m, scope="col") for m in months]))
    rows = []
    for centre in calendar.centres:
        cells = [html.Th(html.Abbr(centre, title=_centre_name(centre)), scope="row")]
        for month in calendar.months:
            cell = calendar.cell(centre, month)
            cells.append(html.Td(status_text(cell, lang), title=_detail(cell, calendar, lang),
                                 className=f"delivery delivery-{cell.status.value}"
                                 + (" delivery-corrected" if cell.corrected else ""),
                                 style=COLOURS[cell.status]))
        rows.append(html.Tr(cells, id=f"delivery-row-{centre}"))
    caption = t("calendar_caption", lang).format(due_day=calendar.settings.due_day)
    table = html.Table(className="data-table delivery-calendar", id="delivery-calendar",
                       children=[html.Caption(caption), head, html.Tbody(rows)])
    # A wide calendar scrolls; the region is focusable so the keyboard can scroll it too.
    return html.Div(table, role="region", tabIndex="0", style={"overflowX": "auto"},
                    **{"aria-label": t("calendar_region", lang)})


def incomplete_notice(ctx: PageContext) -> list[html.Div]:
    """A warning naming the centres and months of the selected period not yet delivered (none: nothing)."""
    lang = ctx.lang
    try:
        calendar = calendar_for(ctx)
    except ReachError as error:
        return [notice(t("incomplete_unknown", lang).format(reason=str(error)), "warning")]
    chosen = ctx.view.filters.get(CENTRE_FILTER) or None
    missing = calendar.incomplete(ctx.period.date_from, ctx.period.date_to, chosen)
    if not missing:
        return []
    box = notice(t("incomplete_notice", lang).format(items=missing_items(missing, lang)), "warning")
    box.id = "incomplete-notice"
    return [box]


def calendar_section(ctx: PageContext) -> html.Section:
    """Who has delivered which month (pipelines/delivery_calendar.py), the rows of the user's centres."""
    try:
        return _section(calendar_for(ctx), ctx.lang)
    except ReachError as error:
        return _section(error, ctx.lang)


def _section(calendar: Calendar | ReachError, lang: str) -> html.Section:
    parts: list[Any] = [html.H2(t("calendar_title", lang), id="calendar-heading"),
                        html.P(t("calendar_help", lang), className="note")]
    if isinstance(calendar, ReachError):
        parts.append(notice(t("calendar_unavailable", lang).format(reason=str(calendar)), "warning"))
    else:
        parts.append(calendar_table(calendar, lang) if calendar.months and calendar.centres
                     else notice(t("calendar_empty", lang)))
    return html.Section(className="card", id="calendar-card", children=parts,
                        **{"aria-labelledby": "calendar-heading"})


def overview_calendar(ctx: PageContext, may_open_quality: bool) -> list[html.Section]:
    """The calendar on the Overview for those who cannot open Data quality (the ministry, coordinators,
    the board) and see several centres: they get at once which centres' figures are incomplete. One
    centre's users keep the Overview as it was (the incomplete-figures notice tells them)."""
    if may_open_quality:
        return []
    try:
        calendar = calendar_for(ctx)
    except ReachError:
        return []  # the notice above the page says the calendar cannot be read now
    return [_section(calendar, ctx.lang)] if len(calendar.centres) > 1 else []
