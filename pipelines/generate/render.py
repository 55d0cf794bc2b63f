"""Canonical codes -> the contract's written form: Czech headers and labels, d.m.yyyy, ano/ne."""

from __future__ import annotations

from functools import cache

import polars as pl

from pipelines import contract
from pipelines.contract import Column, ColumnType, ExportFile
from pipelines.reference.countries import STATELESS, countries
from pipelines.reference.districts import districts

STATELESS_LABEL = "bez státní příslušnosti"


# The contract keys some labels in folded (lower) case; a case system writes these.
_SPELLING = {
    "čeština a1": "čeština A1", "čeština a2": "čeština A2", "čeština b1": "čeština B1",
    "zkouška z čj složena": "zkouška z ČJ složena", "občan ukrajiny": "občan Ukrajiny",
}


def enum_labels(column: Column) -> dict[str, str]:
    """code -> the label a case system writes (the first label of the code in the contract)."""
    assert column.values is not None
    if column.values is contract.CEFR:
        return {level: level for level in contract.CEFR_LEVELS}
    labels: dict[str, str] = {}
    for label, code in column.values.items():
        if len(label) > 1:  # skip one-letter aliases such as "m"
            labels.setdefault(code, _SPELLING.get(label, label))
    return labels


@cache
def country_labels() -> dict[str, str]:
    table = {c.alpha2: c.name_cs for c in countries()}
    table[STATELESS] = STATELESS_LABEL
    return table


@cache
def district_labels() -> dict[str, str]:
    return {d.code: d.name for d in districts()}


def czech_date(expr: pl.Expr) -> pl.Expr:
    """Date -> d.m.yyyy without leading zeros (5.1.2023)."""
    return pl.concat_str(
        expr.dt.day().cast(pl.String), pl.lit("."), expr.dt.month().cast(pl.String), pl.lit("."),
        expr.dt.year().cast(pl.String),
    )


def _written(column: Column) -> pl.Expr:
    value = pl.col(column.name)
    match column.type:
        case ColumnType.DATE:
            out = czech_date(value)
        case ColumnType.BOOLEAN:
            out = pl.when(value).then(pl.lit("ano")).when(value.not_()).then(pl.lit("ne"))
        case ColumnType.ENUM:
            out = value.replace_strict(enum_labels(column), default=None, return_dtype=pl.String)
        case ColumnType.COUNTRY:
            out = value.replace_strict(country_labels(), default=None, return_dtype=pl.String)
        case ColumnType.DISTRICT:
            out = value.replace_strict(district_labels(), default=None, return_dtype=pl.String)
        case _:
            out = value.cast(pl.String)
    return out.alias(column.header)


# Optional columns a sample writes only when it has them (the linkage key: national samples).
OPTIONAL = frozenset({"linkage_key"})


def render(frame: pl.DataFrame, spec: ExportFile) -> pl.DataFrame:
    """One string column per contract column (Czech headers, contract order); `_origin` kept.
    An optional column (OPTIONAL) the frame does not hold is not written."""
    extra = [pl.col("_origin")] if "_origin" in frame.columns else []
    columns = [c for c in spec.columns if c.name not in OPTIONAL or c.name in frame.columns]
    return frame.select([_written(column) for column in columns] + extra)
