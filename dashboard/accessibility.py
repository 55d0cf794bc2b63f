"""What makes the dashboard usable with a screen reader or the keyboard alone (WCAG 2.1 AA).

- The page's language and title: in the HTML the server sends (`<html lang>`, `<title>` from the
  URL's `lang` and page) and, after a switch, set in the browser.
- Names of the landmarks and switches, the page's h1, the filters in force as words.
- The keyboard equivalent of a click on a chart: the table view's row buttons filter the same way.

Repairs of Dash's own component markup live in assets/a11y.js.
"""

from __future__ import annotations

import html
import re
from typing import Any

import dash
import flask
from dash import ALL, Input, Output, State, ctx, hooks, no_update

from dashboard.i18n import DEFAULT_LANG, normalise_lang, t
from dashboard.layout import dropdown_labels, filters_in_force
from dashboard.state.pages import page_title
from dashboard.state.url import FILTER_DIMENSIONS, page_from_path, parse_view, to_search
from pipelines.metrics.catalogue import REST_CODE

DROPDOWNS = ("preset", "period-value", "comparison", *[f"filter-{d}" for d in FILTER_DIMENSIONS])
_HTML_TAG = re.compile(r"<html[^>]*>")
_TITLE_TAG = re.compile(r"<title>.*?</title>", re.DOTALL)


def document_title(page: str, lang: str) -> str:
    return f"{page_title(page, lang)} – {t('app_title', lang)}"


@hooks.index()
def _language_of_the_page(index: str) -> str:
    """The first response already says which language it is in and which page it is."""
    if not flask.has_request_context():
        return index
    lang = normalise_lang(flask.request.args.get("lang")) or DEFAULT_LANG
    title = document_title(page_from_path(flask.request.path), lang)
    index = _HTML_TAG.sub(f'<html lang="{lang}">', index, count=1)
    return _TITLE_TAG.sub(f"<title>{html.escape(title)}</title>", index, count=1)


def register_accessibility(app: dash.Dash) -> None:
    @app.callback(
        Output("document-meta", "data"), Output("skip-link", "children"), Output("nav-label", "children"),
        Output("lang-legend", "children"), Output("filters-heading", "children"), Output("page-title", "children"),
        Output("filters-line", "children"),
        Output("custom-range", "start_date_placeholder_text"), Output("custom-range", "end_date_placeholder_text"),
        *[Output(d, "labels") for d in DROPDOWNS],
        Input("url", "pathname"), Input("url", "search"),
    )
    def name_the_page(pathname: str | None, search: str | None) -> tuple:
        view = parse_view(pathname, search)
        lang = view.lang
        return (
            {"lang": lang, "title": document_title(view.page, lang)},
            t("skip_to_content", lang), t("pages_nav", lang), t("language", lang), t("filters_region", lang),
            page_title(view.page, lang), filters_in_force(view), t("from", lang), t("to", lang),
            *[dropdown_labels(lang) for _ in DROPDOWNS],
        )

    app.clientside_callback(
        """function (meta) {
            if (meta) { document.documentElement.lang = meta.lang; document.title = meta.title; }
            return window.dash_clientside.no_update;
        }""",
        Output("document-meta", "id"),  # nothing to update: the callback acts on the document
        Input("document-meta", "data"),
    )

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input({"type": "row-filter", "chart": ALL, "dimension": ALL, "code": ALL}, "n_clicks"),
        State("url", "pathname"), State("url", "search"),
        prevent_initial_call=True,
    )
    def filter_by_row(clicks: list[int | None], pathname: str | None, search: str | None) -> Any:
        """A row button of a table view toggles the filter a click on that row's bar would."""
        trigger = ctx.triggered_id
        if not trigger or not ctx.triggered or not ctx.triggered[0].get("value"):
            return no_update
        dimension, code = trigger["dimension"], str(trigger["code"])
        if dimension not in FILTER_DIMENSIONS or code == REST_CODE:
            return no_update
        return to_search(parse_view(pathname, search).with_filter_toggled(dimension, code))
