"""The pages in navigation order; each module has CHARTS and optionally header(ctx)."""

from __future__ import annotations

from types import ModuleType

from dashboard.pages import courses, definitions, events, outcomes, overview, quality, reach, services
from dashboard.pages.base import Chart

PAGE_MODULES: dict[str, ModuleType] = {
    "overview": overview, "reach": reach, "services": services, "courses": courses,
    "outcomes": outcomes, "events": events, "quality": quality, "definitions": definitions,
}


def chart_by_id(chart_id: str) -> Chart | None:
    for module in PAGE_MODULES.values():
        for chart in module.CHARTS:
            if chart.id == chart_id:
                return chart
    return None
