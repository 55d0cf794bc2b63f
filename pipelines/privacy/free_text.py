"""What the loader does with the export's free text, and with delivered text it reports.

Free text is where case workers type names and numbers, so each free-text column of the
contract is either dropped (no figure uses it: it is never stored) or screened (a cell holding
an identifier loads as `unknown`, and a warning names the row, the column and the kind of
identifier, the value masked). Values the loader reports (quarantine and warning values,
messages, file names) are masked where the detector finds an identifier. docs/decisions.md,
"Free text and direct identifiers", gives the reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

import polars as pl

from pipelines.contract import UNKNOWN, Column, ColumnType, ExportFile
from pipelines.privacy.identifiers import identifier_kind, mask, redact


class Handling(StrEnum):
    DROP = "drop"  # no figure uses the column: its cells are never stored
    SCREEN = "screen"  # kept; a cell holding an identifier is replaced by WITHHELD


# Free-text columns of the contract (file, column) -> handling. A text column missing here is
# screened. Municipality feeds no figure (models/, pipelines/metrics/, dashboard/, reports/);
# the branch is a dimension of the services figures and the branch-month completeness check.
FREE_TEXT: dict[tuple[str, str], Handling] = {
    ("klienti", "municipality"): Handling.DROP,
    ("kontakty", "branch"): Handling.SCREEN,
    ("kurzy", "branch"): Handling.SCREEN,
}
WITHHELD = UNKNOWN  # what a screened cell holding an identifier loads as
WITHHELD_KIND = "identifier_withheld"  # meta.load_warnings.kind


def handling(export: ExportFile, column: Column) -> Handling | None:
    """How the loader treats `column`: None for columns that are not free text."""
    if column.type is not ColumnType.TEXT:
        return None
    return FREE_TEXT.get((export.name, column.name), Handling.SCREEN)


def is_stored(export: ExportFile, column: Column) -> bool:
    return handling(export, column) is not Handling.DROP


def _map_distinct(series: pl.Series, function: Callable[[str], str | None]) -> pl.Series:
    """`function` applied once per distinct non-null value (free text repeats a lot)."""
    distinct = series.drop_nulls().unique()
    mapping = {value: function(value) for value in distinct.to_list()}
    return series.replace_strict(mapping, default=None, return_dtype=pl.String) if mapping else series


def screen_free_text(export: ExportFile, loaded: pl.DataFrame, headers: dict[str, str],
                     row: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`loaded` with dropped columns emptied and identifiers in screened columns withheld, and
    one warning per withheld cell (columns: row, column_name, value, kind, message)."""
    warnings: list[pl.DataFrame] = []
    for column in export.columns:
        treatment = handling(export, column)
        if treatment is Handling.DROP:
            loaded = loaded.with_columns(pl.lit(None, pl.String).alias(column.name))
        elif treatment is Handling.SCREEN:
            flagged = loaded.with_columns(_map_distinct(loaded[column.name], identifier_kind).alias("__kind"))
            header = headers[column.name]
            warnings.append(flagged.filter(pl.col("__kind").is_not_null()).select(
                row,
                pl.lit(header).alias("column_name"),
                pl.col(column.name).alias("value"),
                pl.lit(WITHHELD_KIND).alias("kind"),
                pl.format(f"'{header}' looks like {{}}; loaded as {WITHHELD} (the value is not stored)",
                          pl.col("__kind")).alias("message"),
            ))
            loaded = flagged.with_columns(
                pl.when(pl.col("__kind").is_not_null()).then(pl.lit(WITHHELD)).otherwise(pl.col(column.name))
                .alias(column.name)
            ).drop("__kind")
    schema = {row: loaded.schema[row], "column_name": pl.String, "value": pl.String, "kind": pl.String,
              "message": pl.String}
    found = pl.concat([pl.DataFrame(schema=schema), *warnings], how="vertical")
    return loaded, mask_identifier_values(found, ["value"])


def mask_identifier_values(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Cells of `columns` that hold an identifier, masked whole (first two characters and length)."""
    return frame.with_columns(
        _map_distinct(frame[c], lambda v: mask(v) if identifier_kind(v) else v).alias(c) for c in columns
    )


def redact_identifiers(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Text of `columns` with each identifier in it masked, the rest kept (messages stay readable)."""
    return frame.with_columns(_map_distinct(frame[c], redact).alias(c) for c in columns)
