"""Vectorised sampling helpers shared by the activity generators."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate import distributions as dist


def codes(weights: dist.Weights, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` codes drawn from `weights`, as a string array."""
    return np.asarray(weights.codes)[weights.draw(rng, size)]


def clients_registered_by(
    rng: np.random.Generator, reg_days: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """For each day, a random client index among clients registered on or before it (-1: none)."""
    order = np.argsort(reg_days, kind="stable")
    available = np.searchsorted(reg_days[order], days, side="right")
    pick = np.floor(rng.random(len(days)) * available).astype(np.int64)
    return np.where(available > 0, order[np.minimum(pick, len(order) - 1)], -1)


def numbered(prefix: str, count: int, width: int, first: int = 1) -> pl.Series:
    """IDs like KT00000001: prefix + zero-padded number, from `first` (1: the first chunk of clients)."""
    numbers = pl.Series("n", np.arange(first, first + count)).cast(pl.String).str.zfill(width)
    return pl.select(pl.concat_str(pl.lit(prefix), numbers)).to_series()
