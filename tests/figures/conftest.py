"""Every figure a test here draws passes plotly's full validation (charts/plain.py builds them unvalidated)."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from charts import figures
from charts.theme import _TRACE_KINDS


def builders() -> dict[str, Callable[..., go.Figure]]:
    """The module's chart builders: its public functions that return a figure."""
    return {name: function for name, function in inspect.getmembers(figures, inspect.isfunction)
            if not name.startswith("_") and function.__module__ == figures.__name__
            and inspect.signature(function).return_annotation in ("go.Figure", go.Figure)}


def _without_empty(value: Any) -> Any:
    """JSON without its empty objects (a validated figure leaves out an emptied `title`; plotly.js the same)."""
    if isinstance(value, dict):
        kept = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item != {}}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


def assert_valid(figure: go.Figure) -> None:
    """Plotly's validation accepts every property and value, and changes none of them."""
    drawn = json.loads(pio.to_json(figure, validate=False))
    validated = go.Figure(figure.to_plotly_json())  # raises ValueError on a misspelt property or a bad value
    # The kinds the lean template styles, and the dashboard's plotly.js build draws (tests/ui/test_plotly_bundle.py).
    assert {trace["type"] for trace in drawn["data"]} <= set(_TRACE_KINDS)
    assert _without_empty(json.loads(pio.to_json(validated))) == _without_empty(drawn)


@pytest.fixture(autouse=True)
def every_figure_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, builder in builders().items():
        @functools.wraps(builder)  # still found by builders() while patched
        def checked(*args: Any, _builder: Callable[..., go.Figure] = builder, **kwargs: Any) -> go.Figure:
            figure = _builder(*args, **kwargs)
            assert_valid(figure)
            return figure

        monkeypatch.setattr(figures, name, checked)
