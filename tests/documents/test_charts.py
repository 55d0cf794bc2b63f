"""The board pack's charts are the dashboard's figures (the "other" row: tests/metrics/test_top_n.py)."""

from __future__ import annotations

from reports.board.charts import build_figures
from support.reports import board_data


def test_figures_are_the_dashboards() -> None:
    figures = build_figures(board_data(), "cs")
    assert set(figures) == {"trend", "nationality", "district", "service", "outcomes", "cefr"}
    bars = figures["nationality"].data[0]
    assert list(bars.y)[:2] == ["Ukrajina", "Vietnam"]
