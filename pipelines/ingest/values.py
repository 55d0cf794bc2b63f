"""Vectorised parsing of cell text (polars expressions) into the contract's value types.

Every parser takes an expression of cleaned cell text (empty cells already null) and
returns an expression of the typed value that is null where the text does not parse. The
caller tells "empty" from "unparseable" by comparing the input with the output.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.contract import BOOLEAN_FALSE, BOOLEAN_TRUE, CLIENT_ID_PATTERN
from pipelines.normalise import fold_mapping, fold_value
from pipelines.privacy.identifiers import is_birth_number

_ISO_DATE = r"^(\d{4})-(\d{2})-(\d{2})$"
_CZECH_DATE = r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"
_INTEGER = r"^[+-]?\d+$"
_DECIMAL = r"^[+-]?\d+(?:[.,]\d+)?$"


def clean_cell(expr: pl.Expr, *, strip: bool = True) -> pl.Expr:
    """Empty or whitespace-only cell -> null; surrounding whitespace dropped unless `strip` is off."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped if strip else expr)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """`d.m.yyyy`, `dd.mm.yyyy` or ISO `yyyy-mm-dd`; impossible dates (31.2.2023) -> null.

    The patterns decide which text is a date at all; polars' own date parser then reads it
    (about six times faster than rebuilding ISO text from the Czech form's parts).
    """
    return (pl.when(expr.str.contains(_ISO_DATE)).then(expr.str.to_date("%Y-%m-%d", strict=False))
            .when(expr.str.contains(_CZECH_DATE)).then(expr.str.to_date("%d.%m.%Y", strict=False)))


def parse_integer(expr: pl.Expr) -> pl.Expr:
    """Whole numbers, optionally signed; thousands are never grouped, so `1 000` is not a number."""
    return pl.when(expr.str.contains(_INTEGER)).then(expr).otherwise(None).cast(pl.Int64, strict=False)


def parse_decimal(expr: pl.Expr) -> pl.Expr:
    """Decimals with `,` or `.` as the separator (`12,5`, `12.5`, `12`)."""
    dotted = expr.str.replace(",", ".", literal=True)
    return pl.when(expr.str.contains(_DECIMAL)).then(dotted).otherwise(None).cast(pl.Float64, strict=False)


def parse_boolean(expr: pl.Expr) -> pl.Expr:
    """`ano`/`ne`, `A`/`N`, `1`/`0`, `true`/`false`, any case."""
    folded = expr.str.to_lowercase()
    return (
        pl.when(folded.is_in(sorted(BOOLEAN_TRUE))).then(True)
        .when(folded.is_in(sorted(BOOLEAN_FALSE))).then(False)
        .otherwise(None)
    )


def is_valid_client_id(expr: pl.Expr) -> pl.Expr:
    return expr.str.contains(CLIENT_ID_PATTERN)


def is_birth_number_id(expr: pl.Expr) -> pl.Expr:
    """A client ID that is a valid ten-digit Czech birth number (date and checksum): not a pseudonym.

    Only the ten-digit form is tested: it passes the checksum and the calendar by chance for about
    one random ten-digit number in a hundred, while nine digits (issued before 1954) carry no
    checksum and would flag every twenty-fifth numeric ID. Distinct candidates only go to Python.
    """

    def flag(series: pl.Series) -> pl.Series:
        candidates = series.filter(series.str.contains(r"^\d{10}$")).unique().to_list()
        births = [value for value in candidates if is_birth_number(value)]
        return series.is_in(births).fill_null(False)

    return expr.map_batches(flag, return_dtype=pl.Boolean)


def map_distinct(series: pl.Series, resolve: Callable[[str], str | None]) -> pl.Series:
    """Map each distinct non-null value once in Python; the column itself is never looped over.

    Values `resolve` returns None for map to null, as do null cells.
    """
    distinct = series.drop_nulls().unique()
    mapping = pl.DataFrame(
        {"value": distinct, "code": [resolve(v) for v in distinct.to_list()]},
        schema={"value": pl.String, "code": pl.String},
    )
    mapped = series.replace_strict(mapping["value"], mapping["code"], default=None, return_dtype=pl.String)
    return mapped.alias(series.name)


def value_list_resolver(values: dict[str, str]) -> Callable[[str], str | None]:
    """Lookup in a contract value list, ignoring case, surrounding whitespace and diacritics."""
    folded = fold_mapping(values)
    return lambda value: folded.get(fold_value(value))
