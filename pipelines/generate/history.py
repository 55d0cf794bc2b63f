"""Delivery history: which month first delivers a record, and which later month repeats,
corrects or retracts it (the contract's overlapping deliveries).

A corrected record is first delivered in an earlier, wrong or incomplete state and later
in its true state, so "latest wins" gives the truth. A record is revisited at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import polars as pl

from pipelines.generate import distributions as dist
from pipelines.generate.period import Period

NEW, REPEATED, CORRECTED, RETRACTED = "new", "repeated", "corrected", "retracted"

# How a record looked when first delivered, for records a later delivery corrects.
InitialState = Callable[[pl.DataFrame], pl.DataFrame]

INITIAL_STATE: dict[str, InitialState] = {
    # district and municipality not yet filled in
    "klienti": lambda f: f.with_columns(district=pl.lit(None, pl.String), municipality=pl.lit(None, pl.String)),
    # duration mistyped, topic not yet chosen
    "kontakty": lambda f: f.with_columns(
        duration_min=(pl.col("duration_min") + 15).clip(1, 600), topic=pl.lit(None, pl.String)
    ),
    # end date not yet known
    "kurzy": lambda f: f.with_columns(ends_on=pl.lit(None, pl.Date)),
    # still running: no result yet
    "ucastnici_kurzu": lambda f: f.with_columns(
        attendance_pct=pl.lit(None, pl.Float64), level_out=pl.lit(None, pl.String),
        completed=pl.lit(False), exam=pl.lit("not_taken"),
    ),
    # head count first reported without the foreigners' share
    "akce": lambda f: f.with_columns(
        participants=(pl.col("participants") - 5).clip(0), participants_foreign=pl.lit(None, pl.Int32)
    ),
    # not yet seen in a document
    "vysledky": lambda f: f.with_columns(verified=pl.lit(False)),
}


def plan(rng: np.random.Generator, frame: pl.DataFrame, file: str, period: Period) -> pl.DataFrame:
    """Add `_month` (first delivery), `_revisit_month` (-1: none) and `_revisit` (kind)."""
    first = period.month_of(frame["_day"].to_numpy())
    n = len(first)
    u = rng.random(n)
    kinds = ["", REPEATED, CORRECTED if file in INITIAL_STATE else REPEATED, RETRACTED]
    kind = np.zeros(n, dtype=np.int8)  # index into kinds: small while a million records are planned
    kind[u < dist.REPEAT_SHARE + dist.CORRECT_SHARE + dist.RETRACT_SHARE] = 3
    kind[u < dist.REPEAT_SHARE + dist.CORRECT_SHARE] = 2
    kind[u < dist.REPEAT_SHARE] = 1
    later = first + rng.integers(1, 4, size=n)
    revisit = np.where((kind > 0) & (later < period.months), later, -1)
    kind[revisit < 0] = 0

    if file == "ucastnici_kurzu":  # the course result arrives in the month the course ends
        final = frame["_final_day"].to_numpy()
        final_month = np.where(final >= 0, period.month_of(np.maximum(final, 0)), -1)
        pending = (final_month > first) & (final_month < period.months)
        revisit = np.where(pending, final_month, revisit)
        kind[pending] = kinds.index(CORRECTED)
    return frame.with_row_index("_row").with_columns(
        _month=pl.Series(first, dtype=pl.Int16),
        _revisit_month=pl.Series(revisit, dtype=pl.Int16),
        _revisit=pl.Series(kind).replace_strict(dict(enumerate(kinds)), return_dtype=pl.String),
    )


def delivery(frame: pl.DataFrame, file: str, month: int) -> pl.DataFrame:
    """The records one month's delivery holds, with `_origin` (new/repeated/corrected/retracted)."""
    new = frame.filter(pl.col("_month") == month)
    revisits = frame.filter(pl.col("_revisit_month") == month)
    return _assemble(new, revisits, file)


def deliveries(frame: pl.DataFrame, file: str, months: int) -> Iterator[tuple[int, pl.DataFrame]]:
    """`delivery` for every month of the period, from one partition of the frame (not one scan per month)."""
    new_parts = frame.partition_by("_month", as_dict=True, maintain_order=True)
    revisit_parts = frame.filter(pl.col("_revisit_month") >= 0).partition_by(
        "_revisit_month", as_dict=True, maintain_order=True
    )
    empty = frame.clear()
    for month in range(months):
        yield month, _assemble(new_parts.get((month,), empty), revisit_parts.get((month,), empty), file)


def _assemble(new: pl.DataFrame, revisits: pl.DataFrame, file: str) -> pl.DataFrame:
    corrected_later = pl.col("_revisit") == CORRECTED
    if file in INITIAL_STATE and new.filter(corrected_later).height:
        new = pl.concat([
            new.filter(~corrected_later),
            INITIAL_STATE[file](new.filter(corrected_later)).select(new.columns),
        ]).sort("_row")
    revisits = revisits.with_columns(deleted=pl.col("_revisit") == RETRACTED)
    return pl.concat([
        new.with_columns(_origin=pl.lit(NEW)),
        revisits.with_columns(_origin=pl.col("_revisit")),
    ])
