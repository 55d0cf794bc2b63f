"""The figures of one metric query: values, publication flags and the table as published."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.metrics.linkage import Counting, people_summed
from pipelines.metrics.protection import SHOWN, Protection


@dataclass(frozen=True)
class MetricResult:
    by: tuple[str, ...]
    metrics: tuple[str, ...]
    frame: pl.DataFrame  # one column per dimension, then per metric; values not shown are null
    flags: pl.DataFrame  # same shape: per metric column "" (shown) or "x" (not shown)
    protection: Protection = Protection.PROTECTED  # how the figures were computed (protection.py)
    # Protected only: the view's filtered population is below protection.SPARSE_BELOW, so it carries no
    # figures (no rows for a breakdown); surfaces show protection.SPARSE_NOTICE instead.
    sparse: bool = False
    # How counts of people treat a person served by several centres (linkage.py).
    people_across_centres: Counting = Counting.ONE_CENTRE

    @property
    def people_summed_over_centres(self) -> bool:
        """Whether the counts of people are sums over centres (linkage.people_summed)."""
        return people_summed(self.people_across_centres, self.metrics)

    def published(self) -> pl.DataFrame:
        """Every cell as a string as published: the number, "x" where not shown, or "" where there is no value."""
        flags = self.flags.select(self.metrics).rename({m: f"__flag_{m}" for m in self.metrics})
        return pl.concat([self.frame, flags], how="horizontal").select(
            [pl.col(d) for d in self.by]
            + [
                pl.when(pl.col(f"__flag_{m}") != SHOWN)
                .then(pl.col(f"__flag_{m}"))
                .otherwise(pl.col(m).cast(pl.String).fill_null(""))
                .alias(m)
                for m in self.metrics
            ]
        )

    def records(self) -> list[dict[str, object]]:
        """Rows as dicts: numbers as numbers, cells not shown as their flag ("x")."""
        flags = self.flags.select(self.metrics).to_dicts()
        rows = []
        for row, row_flags in zip(self.frame.to_dicts(), flags, strict=True):
            rows.append({k: (row_flags[k] if row_flags.get(k) else v) for k, v in row.items()})
        return rows
