"""The catalogue of meaning: every metric and dimension declared once (metrics.py, dimensions.py).

The SQL builder, the query's validation, `reach metrics --list`, the dashboard, the board pack, the
workbook and docs/metrics.md read it; nothing else states a metric's name, measure or a
dimension's values.
"""

from __future__ import annotations

from pipelines.metrics.catalogue.dimensions import BOOLEAN_VALUES, DIMENSIONS, IN_CENTRE_REGION
from pipelines.metrics.catalogue.metrics import METRICS
from pipelines.metrics.catalogue.model import UNKNOWN, Bands, Dimension, Family, Kind, Metric
from pipelines.metrics.catalogue.names import (
    DEFAULT_LANG,
    LANGS,
    REST_CODE,
    REST_LABEL,
    code_label,
    dimension_name,
    metric_name,
    month_label,
    normalise_lang,
)

METRICS_BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
DIMENSIONS_BY_NAME: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}
UNIQUE_PEOPLE_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.is_unique_people)


def applies(metric: Metric, dimension: str) -> bool:
    """Whether a dimension splits a metric: the metric's rows carry it."""
    return metric.family in DIMENSIONS_BY_NAME[dimension].families


def dimension_values(dimension: str) -> tuple[str, ...]:
    """The values a dimension takes, in display order; () where they are open (month, centre, branch)."""
    return DIMENSIONS_BY_NAME[dimension].codes()


__all__ = [
    "BOOLEAN_VALUES",
    "DEFAULT_LANG",
    "DIMENSIONS",
    "DIMENSIONS_BY_NAME",
    "IN_CENTRE_REGION",
    "LANGS",
    "METRICS",
    "METRICS_BY_NAME",
    "REST_CODE",
    "REST_LABEL",
    "UNIQUE_PEOPLE_METRICS",
    "UNKNOWN",
    "Bands",
    "Dimension",
    "Family",
    "Kind",
    "Metric",
    "applies",
    "code_label",
    "dimension_name",
    "dimension_values",
    "metric_name",
    "month_label",
    "normalise_lang",
]
