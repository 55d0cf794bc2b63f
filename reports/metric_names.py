"""Names and definitions of metrics for report text, from the metric API's own definitions."""

from __future__ import annotations

from pipelines.metrics.definitions import METRICS, METRICS_BY_NAME


def metric_name(code: str, lang: str = "cs") -> str:
    metric = METRICS_BY_NAME.get(code)
    if metric is None:
        return code
    return metric.label_cs if lang == "cs" else metric.label_en


def definitions() -> list[tuple[str, str, str, str]]:
    """(code, Czech name, English name, English definition) of every metric."""
    return [(m.name, m.label_cs, m.label_en, m.definition_en) for m in METRICS]
