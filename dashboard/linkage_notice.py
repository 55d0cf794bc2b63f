"""The page notice for counts of people that are sums over centres (pipelines/metrics/linkage.py).

Shown on every figures page whose view covers several centres not all of which deliver the national
linkage key: there a person served by two centres counts twice, and the reader must know it. Whether
it applies is what the metric layer says of the view's count of people reached, asked without computing
that count (it depends on the view's scope and centres only).
"""

from __future__ import annotations

from dash import html

from dashboard.components import notice
from dashboard.pages.base import PageContext
from pipelines.errors import ReachError
from pipelines.metrics.linkage import SUMMED_NOTICE


def summed_notice(context: PageContext) -> list[html.Div]:
    try:
        summed = context.source.people_summed(context.query(("clients_reached",)))
    except ReachError:  # a view the metric layer refuses says so on its charts
        return []
    return [notice(SUMMED_NOTICE[context.lang], "info")] if summed else []
