"""The whole view state in the URL: page in the path, period, comparison, filters and language in the query.

`?preset=quarter&pv=2023-Q1&cmp=year&district=CZ0427,CZ0421&lang=en` on `/reach` is one view;
the same link reproduces it. Privacy mode is deliberately NOT in the URL: a shared link always
opens with small numbers protected.

Anything a URL or a control sends is parsed here and never raises: a value that is malformed or
outside its range (dates: `date_bounds()`) falls back to the default for that part, and the
view names the parameters it left out (`ViewState.ignored`) so the page can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANG, LANGS

PAGES = ("overview", "reach", "services", "courses", "outcomes", "events", "quality", "definitions")
PRESETS = ("project", "year", "quarter", "month", "custom")
COMPARISONS = ("previous", "year", "none")
FILTER_DIMENSIONS = ("district", "nationality", "target_group", "service", "sex", "age_band")
# Dates a view may show: from EARLIEST_DATE (before any export this product will see) to one year
# after today. Anything outside is a typo or a forged link, never a period someone means.
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 1
MAX_FILTER_VALUES = 200  # codes per filter in one link (no dimension has more)
MAX_PARAMETER_LENGTH = 4096  # characters of one parameter's value


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
    return name if name in PAGES else "overview"


def path_of(page: str) -> str:
    return "/" if page == "overview" else f"/{page}"


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """The first and last date a view may show (EARLIEST_DATE .. today + YEARS_AHEAD years)."""
    today = today or date.today()
    return EARLIEST_DATE, _years_later(today, YEARS_AHEAD)


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
    if view.period_value and view.preset in _PRESET_MONTHS and preset_period(view) is None:
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


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


_YEAR = re.compile(r"[0-9]{4}")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def preset_period(view: ViewState) -> Period | None:
    """The year, quarter or month the view's period value names (`2023`, `2023-Q1`, `2023-01`),
    or None when it names none of them or lies outside date_bounds()."""
    value = view.period_value
    if view.preset == "year" and (match := _YEAR.fullmatch(value)):
        start, months = date(int(match[0]), 1, 1), 12
    elif view.preset == "quarter" and (match := _QUARTER.fullmatch(value)):
        start, months = date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1), 3
    elif view.preset == "month" and (match := _MONTH.fullmatch(value)):
        start, months = date(int(match[1]), int(match[2]), 1), 1
    else:
        return None
    earliest, latest = date_bounds()
    # A period that starts within the bounds is shown whole (this year's December may end after them).
    if not earliest <= start <= latest:
        return None
    return Period(start, _month_end(date(start.year, start.month + months - 1, 1)))


def resolve_period(view: ViewState, project_from: date, project_to: date) -> Period:
    """The view's period; an incomplete or out-of-range choice falls back to the project period."""
    if view.preset in _PRESET_MONTHS and view.period_value:
        period = preset_period(view)
        if period is not None:
            return period
    earliest, latest = date_bounds()
    if (view.preset == "custom" and view.custom_from and view.custom_to
            and earliest <= view.custom_from <= view.custom_to <= latest):
        return Period(view.custom_from, view.custom_to)
    return Period(project_from, project_to)


_PRESET_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def comparison_period(period: Period, comparison: str, preset: str = "custom") -> Period | None:
    """The previous month/quarter/year for those presets, else the preceding days of the same
    length; or the same dates a year earlier. None when there is no comparison (or it would fall
    before the first representable date)."""
    try:
        return _comparison(period, comparison, preset)
    except (ValueError, OverflowError):
        return None


def _comparison(period: Period, comparison: str, preset: str) -> Period | None:
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
    return _years_later(value, -1)


def _years_later(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _month_end(first: date) -> date:
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - timedelta(days=1)
