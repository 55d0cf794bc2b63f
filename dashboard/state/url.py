"""The whole view state in the URL: page in the path, period, comparison, filters and language in the query.

`?preset=quarter&pv=2023-Q1&cmp=year&district=CZ0642,CZ0643&lang=en` on `/reach` is one view;
the same link reproduces it. Privacy mode is deliberately NOT in the URL: a shared link always
opens with small numbers protected.

Anything a URL or a control sends is parsed here and never raises: a value that is malformed or
outside its range (dates: `date_bounds()`) falls back to the default for that part, and the
view names the parameters it left out (`ViewState.ignored`) so the page can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANG, LANGS
from dashboard.state.pages import HOME_PAGE, PAGES, page_spec

# The period model (presets, bounds, comparison) is the metric layer's, shared with the reports.
from pipelines.metrics.periods import (
    CALENDAR_MONTHS,
    COMPARISONS,
    EARLIEST_DATE,
    PRESETS,
    Period,
    comparison_period,
    date_bounds,
    preset_period,
)

__all__ = ["COMPARISONS", "EARLIEST_DATE", "PRESETS", "Period", "comparison_period", "date_bounds"]

FILTER_DIMENSIONS = ("centre", "region", "district", "nationality", "target_group", "service", "sex", "age_band")
MAX_FILTER_VALUES = 200  # codes per filter in one link (no dimension has more)
MAX_PARAMETER_LENGTH = 4096  # characters of one parameter's value


@dataclass(frozen=True)
class ViewState:
    page: str = HOME_PAGE
    preset: str = "project"
    period_value: str = ""  # `2023` for year, `2023-Q1` for quarter, `2023-01` for month
    custom_from: date | None = None
    custom_to: date | None = None
    comparison: str = "previous"
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lang: str = DEFAULT_LANG
    ignored: tuple[str, ...] = ()  # URL parameters left out because they were malformed or out of range

    def with_filter_toggled(self, dimension: str, code: str) -> ViewState:
        """A click on a bar adds its value to the filter, or removes it when it is already there."""
        current = self.filters.get(dimension, ())
        values = tuple(v for v in current if v != code) if code in current else (*current, code)
        filters = {k: v for k, v in self.filters.items() if k != dimension}
        if values:
            filters[dimension] = values
        return replace(self, filters=filters)


def page_from_path(pathname: str | None) -> str:
    name = (pathname or "/").strip("/").split("/")[-1]
    return name if name in PAGES else HOME_PAGE


def path_of(page: str) -> str:
    return page_spec(page).path


def parse_date(text: object) -> date | None:
    """An ISO date (`2023-01-31`, or the date part of a timestamp) within date_bounds(), else None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = date.fromisoformat(text[:10])
    except ValueError:
        return None
    earliest, latest = date_bounds()
    return value if earliest <= value <= latest else None


def parse_view(pathname: str | None, search: str | None) -> ViewState:
    """URL -> state; anything unknown, malformed or out of range falls back to the default for that part."""
    pairs = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    params = {k: v[-1] for k, v in pairs.items()}
    ignored = [k for k, v in params.items() if len(v) > MAX_PARAMETER_LENGTH]
    params = {k: v for k, v in params.items() if k not in ignored}
    preset = params.get("preset", "project")
    comparison = params.get("cmp", "previous")
    lang = params.get("lang", DEFAULT_LANG)
    filters = {}
    for dimension in FILTER_DIMENSIONS:
        values = tuple(dict.fromkeys(v for v in params.get(dimension, "").split(",") if v))
        if len(values) > MAX_FILTER_VALUES:
            ignored.append(dimension)
        elif values:
            filters[dimension] = values
    view = ViewState(
        page=page_from_path(pathname),
        preset=preset if preset in PRESETS else "project",
        period_value=params.get("pv", ""),
        custom_from=parse_date(params.get("from")),
        custom_to=parse_date(params.get("to")),
        comparison=comparison if comparison in COMPARISONS else "previous",
        filters=filters,
        lang=lang if lang in LANGS else DEFAULT_LANG,
    )
    ignored += [name for name, kept in (("preset", view.preset == preset), ("cmp", view.comparison == comparison),
                                        ("lang", view.lang == lang)) if name in params and not kept]
    ignored += [name for name, kept in (("from", view.custom_from), ("to", view.custom_to))
                if name in params and kept is None]
    if view.period_value and view.preset in CALENDAR_MONTHS and preset_period(view.preset, view.period_value) is None:
        ignored.append("pv")  # kept as given; resolve_period falls back (and the board picks a default)
    return replace(view, ignored=tuple(dict.fromkeys(ignored)))


def to_search(view: ViewState) -> str:
    """State -> query string (with `?`, or "" for the default view); default values are left out."""
    params: dict[str, str] = {}
    if view.preset != "project":
        params["preset"] = view.preset
    if view.preset in ("year", "quarter", "month") and view.period_value:
        params["pv"] = view.period_value
    if view.preset == "custom":
        if view.custom_from:
            params["from"] = view.custom_from.isoformat()
        if view.custom_to:
            params["to"] = view.custom_to.isoformat()
    if view.comparison != "previous":
        params["cmp"] = view.comparison
    for dimension in FILTER_DIMENSIONS:
        if view.filters.get(dimension):
            params[dimension] = ",".join(view.filters[dimension])
    if view.lang != DEFAULT_LANG:
        params["lang"] = view.lang
    return "?" + urlencode(params, safe=",:") if params else ""


def resolve_period(view: ViewState, project_from: date, project_to: date) -> Period:
    """The view's period; an incomplete or out-of-range choice falls back to the project period."""
    if view.preset in CALENDAR_MONTHS and view.period_value:
        period = preset_period(view.preset, view.period_value)
        if period is not None:
            return period
    earliest, latest = date_bounds()
    if (view.preset == "custom" and view.custom_from and view.custom_to
            and earliest <= view.custom_from <= view.custom_to <= latest):
        return Period(view.custom_from, view.custom_to)
    return Period(project_from, project_to)
