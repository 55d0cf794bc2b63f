"""The page modules, one per entry of `dashboard.state.pages.PAGE_SPECS` (each has CHARTS and optionally
header(ctx)), imported by key so the list of pages is written once."""

from __future__ import annotations

import importlib
from types import ModuleType

from dashboard.pages.base import Chart
from dashboard.state.pages import PAGES

PAGE_MODULES: dict[str, ModuleType] = {key: importlib.import_module(f"dashboard.pages.{key}") for key in PAGES}


def chart_by_id(chart_id: str) -> Chart | None:
    for module in PAGE_MODULES.values():
        for chart in module.CHARTS:
            if chart.id == chart_id:
                return chart
    return None
