"""Published cells: a number, or the suppression marker the metric API gave ("<5" or "x")."""

from __future__ import annotations

from typing import Any

Cell = int | float | str | None


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def column_cells(result: Any, metric: str) -> list[Cell]:
    """One metric column of a metric-API result as published: numbers, or the flag where suppressed."""
    values = result.frame.get_column(metric).to_list()
    flags = result.flags.get_column(metric).to_list()
    return [_number(value) if not flag else str(flag) for value, flag in zip(values, flags, strict=True)]


def is_number(cell: Cell) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def with_flags(result: Any) -> Any:
    """The result frame plus a `<metric>__flag` column per metric, as charts/figures.py reads it."""
    flags = result.flags.select(list(result.metrics)).rename({m: m + "__flag" for m in result.metrics})
    return result.frame.hstack(flags)
