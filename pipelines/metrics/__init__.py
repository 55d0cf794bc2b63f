"""The metric layer: the only place metric SQL lives (docs/architecture.md, docs/metrics.md).

    con = open_warehouse(home)
    result = compute(con, MetricQuery(date_from, date_to, metrics=(...), by=(...), where={...},
                                      protection=Protection.PROTECTED,  # the default; EXACT by role only
                                      scope=user_scope))   # required: the user's Scope, or EVERYTHING (operator)
    result.frame, result.flags, result.published(), result.sparse
"""

from pipelines.metrics.catalogue import DIMENSIONS, METRICS, UNIQUE_PEOPLE_METRICS, Dimension, Metric
from pipelines.metrics.engine import compute, people_summed_over_centres
from pipelines.metrics.protection import Protection
from pipelines.metrics.query import MetricQuery
from pipelines.metrics.result import MetricResult
from pipelines.metrics.warehouse import open_warehouse

__all__ = [
    "DIMENSIONS",
    "METRICS",
    "UNIQUE_PEOPLE_METRICS",
    "Dimension",
    "Metric",
    "MetricQuery",
    "MetricResult",
    "Protection",
    "compute",
    "open_warehouse",
    "people_summed_over_centres",
]
