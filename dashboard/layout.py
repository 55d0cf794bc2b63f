"""The app shell: header with navigation, language and privacy switches, the filter bar, the content area."""

from __future__ import annotations

from datetime import date

from dash import dcc, html
from dash.development.base_component import Component

from dashboard.i18n import DEFAULT_LANG, t
from dashboard.report_downloads import report_bar
from dashboard.state.pages import PAGES, page_title
from dashboard.state.url import COMPARISONS, FILTER_DIMENSIONS, PRESETS, ViewState, path_of, to_search
from pipelines.metrics.catalogue import code_label, dimension_name, dimension_values


def filter_options(dimension: str, lang: str, present: tuple[str, ...] | None = None) -> list[dict[str, str]]:
    """Dropdown options of a filter: the dimension's values in the catalogue, labelled in the UI
    language (nationalities sorted by name); with `present`, only those values (what occurs
    within the user's scope), in the catalogue's order."""
    codes = dimension_values(dimension)
    if present is not None:
        codes = (*(c for c in codes if c in present), *(c for c in present if c not in codes))
    options = [{"label": code_label(dimension, code, lang), "value": code} for code in codes]
    if dimension == "nationality":
        options.sort(key=lambda o: o["label"])
    return options


def period_options(preset: str, months: list[str], lang: str) -> list[dict[str, str]]:
    """Years, quarters or months with data (and the project period), newest first."""
    if preset == "year":
        values = sorted({m[:4] for m in months}, reverse=True)
        return [{"label": v, "value": v} for v in values]
    if preset == "quarter":
        values = sorted({f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}" for m in months}, reverse=True)
        return [{"label": v.replace("-Q", " Q") if lang == "en" else f"{v[-1]}. čtvrtletí {v[:4]}", "value": v}
                for v in values]
    if preset == "month":
        return [{"label": code_label("month", m, lang), "value": m} for m in sorted(months, reverse=True)]
    return []


def navigation(view: ViewState, pages: tuple[str, ...] = PAGES) -> list[html.Component]:
    """Links to `pages` (those the role may open) that keep the current query string, so the filters travel."""
    search = to_search(view)
    return [dcc.Link(page_title(page, view.lang), href=path_of(page) + search, id=f"nav-{page}",
                     className="nav-link active" if page == view.page else "nav-link")
            for page in pages]


def shell(app_title: str, project_from: date, project_to: date, *, may_switch_protection: bool = True,
          reports: frozenset[str] = frozenset({"board", "ministry"}), account: Component | None = None) -> html.Div:
    """The frame for one signed-in role; labels, options and values are filled in by callbacks from the URL.

    Landmarks: the header (banner) with the page navigation and the switches, the filter region,
    and the main content with the page's one h1. A skip link jumps over the header and filters.
    A role that may not switch protection off gets no switch (the server ignores it anyway), only
    the report buttons it may use, and `account` (name and sign-out) at the end of the header.
    """
    filters = [
        html.Div(className="filter", id=f"filter-box-{dimension}", children=[
            html.Label(id=f"label-{dimension}", htmlFor=f"filter-{dimension}"),
            # Options come with the first callback, for the signed-in user's scope (never all values here).
            dcc.Dropdown(id=f"filter-{dimension}", multi=True, clearable=True, options=[]),
        ])
        for dimension in FILTER_DIMENSIONS
    ]
    return html.Div(className="app", children=[
        dcc.Location(id="url", refresh=False),
        dcc.Download(id="download"),
        dcc.Store(id="document-meta"),  # {lang, title}: applied to <html lang> and <title> in the browser
        html.A(id="skip-link", href="#main", className="skip-link"),
        html.Header(className="topbar", children=[
            html.Div(className="brand", children=[html.Span("◆", className="logo", **{"aria-hidden": "true"}),
                                                  html.Span(app_title, id="app-title")]),
            html.Span(id="nav-label", className="visually-hidden"),
            html.Nav(id="nav", className="nav", **{"aria-labelledby": "nav-label"}),
            html.Div(className="switches", children=[
                html.Div(className="privacy-group", children=[
                    # The checkbox is named by the visible label beside it (assets/a11y.js links them).
                    dcc.Checklist(id="privacy", options=[{"label": "", "value": "on"}], value=["on"],
                                  persistence=True, persistence_type="session", className="privacy-switch",
                                  inputClassName="privacy-input"),
                    html.Span(id="privacy-label", className="privacy-label", **{"data-label-for": "privacy"}),
                ] if may_switch_protection else [dcc.Input(id="privacy", type="hidden", value="on"),
                                                 html.Span(id="privacy-label", hidden=True)]),
                html.Fieldset(className="lang-group", children=[
                    html.Legend(id="lang-legend", className="visually-hidden"),
                    dcc.RadioItems(id="lang", options=[{"label": "CZ", "value": "cs"},
                                                       {"label": "EN", "value": "en"}],
                                   value="cs", inline=True, className="lang-switch"),
                ]),
                *([account] if account is not None else []),
            ]),
        ]),
        html.Section(className="filterbar", id="filterbar", **{"aria-labelledby": "filters-heading"}, children=[
            html.H2(id="filters-heading", className="visually-hidden"),
            html.Div(className="filter period", children=[
                html.Label(id="label-period", htmlFor="preset"),
                dcc.Dropdown(id="preset", clearable=False, value="project",
                             options=[{"label": t(f"preset_{p}", DEFAULT_LANG), "value": p} for p in PRESETS]),
            ]),
            html.Div(className="filter period-value", id="period-value-box", children=[
                html.Label(id="label-period-value", htmlFor="period-value"),
                dcc.Dropdown(id="period-value", clearable=False, options=[]),
            ]),
            html.Div(className="filter custom-range", id="custom-box", children=[
                html.Label(id="label-custom", htmlFor="custom-range"),
                dcc.DatePickerRange(id="custom-range", display_format="D. M. YYYY", first_day_of_week=1,
                                    start_date=project_from, end_date=project_to),
            ]),
            html.Div(className="filter", children=[
                html.Label(id="label-comparison", htmlFor="comparison"),
                dcc.Dropdown(id="comparison", clearable=False, value="previous",
                             options=[{"label": t(f"compare_{c}", DEFAULT_LANG), "value": c} for c in COMPARISONS]),
            ]),
            *filters,
            html.Button(id="clear-filters", className="btn-clear"),
        ]),
        html.Main(id="main", className="main", tabIndex="-1", children=[
            html.Div(className="period-row", children=[
                html.Div(className="view-heading", children=[
                    html.H1(id="page-title", className="page-title"),
                    html.Div(id="period-line", className="period-line"),
                    html.Div(id="filters-line", className="filters-line"),
                ]),
                report_bar(reports),
            ]),
            html.Div(id="privacy-banner"),
            html.Div(id="trace-panel", **{"aria-live": "polite"}),  # "where does this come from" (dashboard/routine)
            dcc.Loading(html.Div(id="content", className="content"), type="dot", delay_show=400),
        ]),
    ])


def dropdown_labels(lang: str) -> dict[str, str]:
    """The texts Dash's Dropdown shows inside its popup, in the UI language."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
            "no_options_found")
    return {key: t(f"dropdown_{key}", lang) for key in keys}


def filters_in_force(view: ViewState) -> str:
    """The filters as words, for the screen, screen readers and print: `Filtry: Okres: Brno-město, Brno-venkov`."""
    parts = ["{}: {}".format(dimension_name(dimension, view.lang),
                             ", ".join(code_label(dimension, code, view.lang) for code in codes))
             for dimension, codes in view.filters.items()]
    return f"{t('filters_in_force', view.lang)}: " + ("; ".join(parts) if parts else t("no_filters", view.lang))


def filter_label(dimension: str, lang: str) -> str:
    return dimension_name(dimension, lang)
