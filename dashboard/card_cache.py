"""Drawn chart cards kept per build, scope, role and view, so a view asked again is not drawn again.

Drawing a card (the Plotly figure, its text summary and table view, the component tree) costs far
more than reading its figures from the result cache (dashboard/result_cache.py), so the cards are
kept too: in a bounded LRU derived from the data source's result cache, which tells it of every
publish (a new build drops every card of the others; a card drawn from a replaced build is not
kept) and of every clear.

A key is (build, "card", chart, role, day, context): the build being read (the request's pinned
generation, `WarehouseSource.build`), the chart's id, the signed-in user's role (which buttons the
card has), the day (periods are bounded by today's date) and every part of the page's context
(`PageContext`) but those one app shares for all its requests (its data source, targets and district
map): the user's scope, the protection in force, the resolved period and comparison period, whether
the comparison has data, and the whole view (`ViewState`: page, period choice, comparison, filters,
language, the URL parameters left out). Fields are taken from the dataclasses themselves, so a part
added to either is part of the key without a change here.

What a card does not depend on stays out: whether its table view is open is the browser's state
(assets/a11y.js keeps it across redraws), and the figures highlight no clicked value (a click sets a
filter, which is in the view; the table's pressed row buttons follow the filters).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

import plotly.graph_objects as go
from dash import dcc, html

from dashboard.pages.base import PageContext
from dashboard.result_cache import ResultCache
from dashboard.state.url import ViewState
from pipelines.access import Role, Scope
from pipelines.metrics.protection import Protection

# A card holds its figure's data (and a choropleth its district shapes): far fewer than the results.
MAX_CARDS = 256
# What one app (one Board) gives every request's context alike: not part of a card's key.
SHARED_PARTS = frozenset({"source", "targets", "geojson"})


def card_key(chart_id: str, context: PageContext, role: Role | None, today: date) -> tuple[Hashable, ...]:
    """Everything a chart's card depends on besides the build, as a hashable tuple."""
    if not isinstance(context.scope, Scope):  # the metric layer refuses it too; never key it
        raise TypeError(f"A card needs a Scope, not {context.scope!r}.")
    if not isinstance(context.protection, Protection):
        raise TypeError(f"A card needs a Protection, not {context.protection!r}.")
    parts = tuple((f.name, view_key(context.view) if f.name == "view" else _hashable(getattr(context, f.name)))
                  for f in fields(context) if f.name not in SHARED_PARTS)
    return ("card", chart_id, role, today, parts)


def view_key(view: ViewState) -> tuple[Hashable, ...]:
    """The whole view, every field; filters as (dimension, codes) pairs in the dimensions' order."""
    return tuple((f.name, _hashable(getattr(view, f.name))) for f in fields(view))


def _hashable(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple(sorted((str(name), _hashable(item)) for name, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    hash(value)  # anything else must be hashable as it is (raises TypeError otherwise)
    return value


def cards_of(context: PageContext) -> ResultCache:
    """The cards kept for the context's data source (one per app), derived from its result cache."""
    return context.source.results.derived("cards", MAX_CARDS)


def kept_card(chart_id: str, context: PageContext, role: Role | None) -> html.Section | None:
    """The card kept for this chart, build, role and context, else None (nothing is drawn)."""
    key = card_key(chart_id, context, role, date.today())
    card = cards_of(context).kept(context.source.build(), key)
    return card if isinstance(card, html.Section) else None


def card_kept_after(chart_id: str, context: PageContext, role: Role | None,
                    draw: Callable[[], html.Section]) -> html.Section:
    """The card kept for this chart, build, role and context, else `draw()` (kept while its build is current).

    An exception from `draw` (a view the metric layer refuses) is raised and nothing is kept.
    """
    key = card_key(chart_id, context, role, date.today())
    return cards_of(context).get_or_compute_key(context.source.build(), key,
                                                lambda: plain_figures(draw(), shared=context.geojson))


def plain_figures(card: html.Section, *, shared: Mapping[str, Any] | None = None) -> html.Section:
    """The card with its figures as plain data: a kept card is sent many times, and a Plotly `Figure`
    copies all its data each time it is serialised (`to_plotly_json`); the JSON sent is the same.

    `shared`: the app's district map. A map trace holds its own copy of it (Plotly copies it; an
    operator's map may be megabytes, twice that as Python objects), so a trace whose map equals it
    holds the app's one instead: the kept cards are bounded in number, and then not each a map.
    """
    for component in card._traverse():
        if isinstance(component, dcc.Graph) and isinstance(component.figure, go.Figure):
            component.figure = component.figure.to_plotly_json()
            if shared is not None:
                for trace in component.figure.get("data", ()):
                    if trace.get("geojson") is not None and trace["geojson"] == shared:
                        trace["geojson"] = shared
    return card
