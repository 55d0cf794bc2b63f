"""The whole view state in the URL: page in the path, period, comparison, filters and language in the query.

`?preset=quarter&pv=2023-Q1&cmp=year&district=CZ0427,CZ0421&lang=en` on `/reach` is one view;
the same link reproduces it. Privacy mode is deliberately NOT in the URL: a shared link always
opens with small numbers protected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANG, normalise_lang

PAGES = ("overview", "reach", "services", "courses", "outcomes", "events", "quality", "definitions")
PRESETS = ("project", "year", "quarter", "month", "custom")
COMPARISONS = ("previous", "year", "none")
FILTER_DIMENSIONS = ("district", "nationality", "target_group", "service", "sex", "age_band")


@dataclass(frozen=True)
class ViewState:
    page: str = "overview"
    preset: str = "project"
    period_value: str = ""  # `2023` for year, `2023-Q1` for quarter, `2023-01` for month
    custom_from: date | None = None
    custom_to: date | None = None
    comparison: str = "previous"
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lang: str = DEFAULT_LANG

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
    return name if name in PAGES else "overview"


def path_of(page: str) -> str:
    return "/" if page == "overview" else f"/{page}"


def parse_view(pathname: str | None, search: str | None) -> ViewState:
    """URL -> state; anything unknown or malformed falls back to the default for that part."""
    params = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?"), keep_blank_values=False).items()}
    preset = params.get("preset", "project")
    comparison = params.get("cmp", "previous")
    filters = {}
    for dimension in FILTER_DIMENSIONS:
        values = tuple(v for v in params.get(dimension, "").split(",") if v)
        if values:
            filters[dimension] = values
    return ViewState(
        page=page_from_path(pathname),
        preset=preset if preset in PRESETS else "project",
        period_value=params.get("pv", ""),
        custom_from=_date_or_none(params.get("from")),
        custom_to=_date_or_none(params.get("to")),
        comparison=comparison if comparison in COMPARISONS else "previous",
        filters=filters,
        lang=normalise_lang(params.get("lang")),
    )


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


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


def resolve_period(view: ViewState, project_from: date, project_to: date) -> Period:
    """The view's period; an incomplete choice falls back to the project period."""
    value = view.period_value
    try:
        if view.preset == "year" and value:
            year = int(value)
            return Period(date(year, 1, 1), date(year, 12, 31))
        if view.preset == "quarter" and value:
            year_text, quarter_text = value.split("-Q")
            first_month = 3 * (int(quarter_text) - 1) + 1
            start = date(int(year_text), first_month, 1)
            return Period(start, _month_end(date(int(year_text), first_month + 2, 1)))
        if view.preset == "month" and value:
            start = date.fromisoformat(value + "-01")
            return Period(start, _month_end(start))
    except ValueError:
        pass
    if view.preset == "custom" and view.custom_from and view.custom_to and view.custom_from <= view.custom_to:
        return Period(view.custom_from, view.custom_to)
    return Period(project_from, project_to)


_PRESET_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def comparison_period(period: Period, comparison: str, preset: str = "custom") -> Period | None:
    """The previous month/quarter/year for those presets, else the preceding days of the same
    length; or the same dates a year earlier."""
    if comparison == "previous" and preset in _PRESET_MONTHS:
        months = _PRESET_MONTHS[preset]
        index = period.date_from.year * 12 + period.date_from.month - 1 - months
        start = date(index // 12, index % 12 + 1, 1)
        end_index = index + months - 1
        return Period(start, _month_end(date(end_index // 12, end_index % 12 + 1, 1)))
    if comparison == "previous":
        end = period.date_from - timedelta(days=1)
        return Period(end - timedelta(days=period.days - 1), end)
    if comparison == "year":
        return Period(_year_earlier(period.date_from), _year_earlier(period.date_to))
    return None


def _year_earlier(value: date) -> date:
    try:
        return value.replace(year=value.year - 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year - 1, day=28)


def _month_end(first: date) -> date:
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - timedelta(days=1)
