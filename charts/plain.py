"""Figures written as plain dicts and wrapped once, unvalidated.

Plotly's object API checks every property on every `update_*`/`add_*` call; for the charts here
that was 20–110 ms a figure, more than the metric queries behind it (docs/performance.md).
The builders in charts/figures.py write the figure's JSON as dicts and wrap it once in a
`go.Figure` without validation (well under a millisecond a figure); the object is the one callers
had before (the board pack and the chart tables read and extend it). tests/figures checks that
every figure passes plotly's full validation, so a misspelt property fails a test, not a page.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots


def figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """The figure of `data` (trace dicts, each with its `type`) and `layout`, not validated again."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def merge(target: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """`updates` merged into `target` (nested dicts merged, other values replaced), as `update_layout` does."""
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value
    return target


def axes(layout: dict[str, Any], letter: str) -> list[dict[str, Any]]:
    """Every x (`letter` "x") or y axis of `layout`, the first created when missing (as `update_xaxes` does)."""
    name = f"{letter}axis"
    layout.setdefault(name, {})
    return [value for key, value in layout.items() if key == name or (key.startswith(name) and key[5:].isdigit())]


def update_axes(layout: dict[str, Any], letter: str, **updates: Any) -> None:
    """`updates` merged into every x or y axis of `layout`."""
    for axis in axes(layout, letter):
        merge(axis, copy.deepcopy(updates))


@lru_cache(maxsize=64)
def _grid(rows: int, cols: int, titles: int, shared_yaxes: bool, horizontal_spacing: float | None,
          vertical_spacing: float | None) -> tuple[dict[str, Any], tuple[tuple[dict[str, str], ...], ...]]:
    placeholders = [f"title {i}" for i in range(titles)] or None  # texts set per figure
    made = make_subplots(rows=rows, cols=cols, shared_yaxes=shared_yaxes, horizontal_spacing=horizontal_spacing,
                         vertical_spacing=vertical_spacing, subplot_titles=placeholders)
    layout = made.to_plotly_json()["layout"]
    layout.pop("template", None)  # the theme sets its own
    refs = tuple(tuple(dict(cell[0].trace_kwargs) for cell in row) for row in made._grid_ref)
    return layout, refs


def subplot_grid(rows: int, cols: int, titles: list[str], *, shared_yaxes: bool = False,
                 horizontal_spacing: float | None = None, vertical_spacing: float | None = None,
                 ) -> tuple[dict[str, Any], list[list[dict[str, str]]]]:
    """The layout `make_subplots` gives for this grid (made once per shape) with `titles` over the
    cells, and each cell's axis references for its traces (`refs[row - 1][col - 1]`)."""
    layout, refs = _grid(rows, cols, len(titles), shared_yaxes, horizontal_spacing, vertical_spacing)
    layout = copy.deepcopy(layout)
    for annotation, title in zip(layout.get("annotations", []), titles, strict=True):
        annotation["text"] = title
    return layout, [[dict(ref) for ref in row] for row in refs]
