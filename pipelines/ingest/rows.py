"""Row rules of the export contract, applied to one file's text table with polars.

`check_file` matches headers, parses every column vectorised, and splits the rows into
loaded rows (typed, canonical names, codes) and quarantined rows (with one issue per
broken rule: row, column, value, reason, the whole row as JSON). Values outside a value
list load as `unknown` and become warnings. Orphans need the warehouse and are found by
the loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from pipelines.contract import EARLIEST_DATE, LINKAGE_KEY_PATTERN, UNKNOWN, Column, ColumnType, ExportFile
from pipelines.ingest.reading import FileRejected, TextTable
from pipelines.ingest.table import ROW
from pipelines.ingest.values import (
    clean_cell,
    is_birth_number_id,
    is_valid_client_id,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    value_list_resolver,
)
from pipelines.normalise import fold_header
from pipelines.privacy.free_text import is_stored, mask_identifier_values, screen_free_text
from pipelines.reference.countries import resolve_citizenship
from pipelines.reference.districts import resolve_district

ISSUE_SCHEMA = {ROW: pl.Int32, "column_name": pl.String, "value": pl.String, "reason": pl.String}
WARNING_SCHEMA = {
    ROW: pl.Int32, "column_name": pl.String, "value": pl.String, "kind": pl.String, "message": pl.String,
}
QUARANTINE_SCHEMA = {**ISSUE_SCHEMA, "record": pl.String}
T = ColumnType


@dataclass(frozen=True)
class CheckedFile:
    rows_read: int
    loaded: pl.DataFrame  # canonical columns of the raw table + _source_row
    quarantine: pl.DataFrame  # ISSUE_SCHEMA + record (JSON of the row's contract columns as delivered)
    warnings: pl.DataFrame  # WARNING_SCHEMA
    unknown_headers: list[str]

    @property
    def rows_quarantined(self) -> int:
        return self.quarantine[ROW].n_unique()


def match_headers(export: ExportFile, headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical column name -> position in the file, and the headers that match no column."""
    by_folded = {fold_header(c.header): c for c in export.columns}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        column = by_folded.get(fold_header(header))
        if column is None:
            unknown.append(header)
        elif column.name in positions:
            raise FileRejected(
                f"the column '{column.header}' appears twice (as '{headers[positions[column.name]]}' "
                f"and '{header}')"
            )
        else:
            positions[column.name] = position
    missing = [c.header for c in export.required_columns if c.name not in positions]
    if missing:
        listed = ", ".join(f"'{h}'" for h in missing)
        raise FileRejected(f"the required column{'s' if len(missing) > 1 else ''} {listed} "
                           f"{'are' if len(missing) > 1 else 'is'} missing")
    return positions, unknown


def check_file(export: ExportFile, table: TextTable, *, today: date | None = None) -> CheckedFile:
    positions, unknown_headers = match_headers(export, table.headers)
    today = today or date.today()
    # Text cells under canonical names; absent optional columns are all-null.
    frame = table.cells.select(
        pl.int_range(table.first_row + 1, pl.len() + table.first_row + 1, dtype=pl.Int32).alias(ROW),
        *[
            (pl.col(f"c{positions[c.name]}") if c.name in positions else pl.lit(None, pl.String)).alias(c.name)
            for c in export.columns
        ],
    )
    header_of = {c.name: table.headers[positions[c.name]] if c.name in positions else c.header
                 for c in export.columns}
    rules = _rules(export, today)
    reasons, unknowns = rules.reasons, rules.unknowns

    # Enumerations, citizenship and districts are resolved once per distinct value (all such
    # columns' distinct values in one query), then mapped in the query below.
    codes = _code_mappings(frame, unknowns)
    # One query in three stages: each cell cleaned once; each typed column parsed once and each
    # mapped column's codes looked up; then the values and reasons read those (not the text again,
    # once for the value and once per rule).
    checked = (
        frame.lazy()
        .with_columns(rules.cleaned)
        .with_columns(
            *rules.parsed,
            *[pl.col(_cell_column(c)).replace_strict(*codes[c.name], default=None, return_dtype=pl.String)
              .alias(_code_column(c)) for c in unknowns],
        )
        .with_columns(rules.typed)
        .collect(engine="in-memory")  # polars 2's default (streaming) costs more, on small files and large
    )
    uncoded = [c for c in unknowns if None in codes[c.name][1]]  # some distinct value of the column has no code
    if uncoded:
        frame = frame.hstack(checked.select(_code_column(c) for c in uncoded))  # the warnings read the codes

    rule_issues = _issues(frame, checked, [(header_of[column.name], column.name) for column, _ in reasons])
    issues = _with_reader_issues(rule_issues, table)
    if issues.height == 0:  # the usual file: every row loads
        good_rows = checked
    else:
        reason_columns = [f"__reason{i}" for i in range(len(reasons))]
        bad = pl.any_horizontal(pl.col(c).is_not_null() for c in reason_columns) if reason_columns \
            else pl.lit(False)
        bad = bad | pl.col(ROW).is_in(table.issues[ROW].implode())
        good_rows = checked.filter(~bad)

    loaded = good_rows.select(ROW, *[pl.col(c.name) for c in export.columns])
    # Free text: dropped columns are not stored, identifiers in the others are withheld (warned).
    loaded, withheld = screen_free_text(export, loaded, header_of, ROW)
    # One chunk per column: after the row filter and the screening the columns may be chunked
    # differently, and polars 2.1 panics ("assertion failed: i < self.len()") formatting text of
    # such a frame after a filter (the orphan and duplicate-key warnings do). A no-op when whole.
    loaded = loaded.rechunk()
    if issues.height == 0:
        quarantine = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    else:
        records = _records(export, table, positions, frame.select(ROW), issues[ROW].unique())
        quarantine = issues.join(records, on=ROW, how="left")
    good_text = frame if loaded.height == frame.height else frame.join(loaded.select(ROW), on=ROW, how="semi")
    warnings = concat_warnings(
        [_unknown_value_warnings(column, good_text, header_of[column.name]) for column in uncoded]
        + [_linkage_key_warnings(column, good_text, header_of[column.name])
           for column in export.columns if column.type is T.LINKAGE_KEY]
        + [_duplicate_key_warnings(export, loaded), withheld.cast(WARNING_SCHEMA)],
    )
    return CheckedFile(frame.height, loaded, quarantine, warnings, unknown_headers)


def concat_warnings(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Warning frames (WARNING_SCHEMA) as one, in row order (file-level warnings, row null, first);
    the usual file has none, and is spared the concatenation and the sort."""
    found = [part for part in parts if part.height]
    if not found:
        return pl.DataFrame(schema=WARNING_SCHEMA)
    return pl.concat(found, how="vertical").sort(ROW, maintain_order=True)


@dataclass(frozen=True)
class _Rules:
    """The expressions of one export file's row rules (built once per file kind and day, then
    reused for every file of that kind: building them costs more than running them on a small file)."""

    cleaned: tuple[pl.Expr, ...]  # each cell cleaned: __cell_<name>
    parsed: tuple[pl.Expr, ...]  # each typed column parsed: __parsed_<name>
    typed: tuple[pl.Expr, ...]  # the values (canonical names) and the reasons (__reason<i>)
    reasons: tuple[tuple[Column, pl.Expr], ...]
    unknowns: tuple[Column, ...]  # columns whose values map to codes (unknown values warned)


_RULES: dict[tuple[int, date], tuple[ExportFile, _Rules]] = {}


def _rules(export: ExportFile, today: date) -> _Rules:
    cached = _RULES.get((id(export), today))
    if cached is not None and cached[0] is export:
        return cached[1]
    typed: list[pl.Expr] = []
    reasons: list[tuple[Column, pl.Expr]] = []
    unknowns: list[Column] = []
    for column in export.columns:
        value_expr, reason_expr, maps_unknown = _column_rules(column, today)
        if maps_unknown:
            unknowns.append(column)
        typed.append(value_expr.alias(column.name))
        reasons.append((column, reason_expr))
    reasons.extend(_cross_column_rules(export))
    rules = _Rules(
        cleaned=tuple(clean_cell(pl.col(c.name), strip=c.type is not T.TEXT).alias(_cell_column(c))
                      for c in export.columns),
        parsed=tuple(parse(pl.col(_cell_column(c))).alias(_parsed_column(c))
                     for c in export.columns if (parse := _parser(c)) is not None),
        typed=(*typed, *[r.alias(f"__reason{i}") for i, (_, r) in enumerate(reasons)]),
        reasons=tuple(reasons), unknowns=tuple(unknowns),
    )
    if len(_RULES) > 64:  # a long-running server crosses days; old days go
        _RULES.clear()
    _RULES[(id(export), today)] = (export, rules)
    return rules


def _issues(frame: pl.DataFrame, checked: pl.DataFrame, columns: list[tuple[str, str]]) -> pl.DataFrame:
    """One row per broken rule: (row, header as delivered, cell as delivered, reason). Which rules
    broke at all is asked in one query; only those are gathered (none, in a clean file)."""
    broke = checked.select(pl.col(f"__reason{i}").is_not_null().any() for i in range(len(columns))).row(0) \
        if columns else ()
    if not any(broke):
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    return pl.concat(
        [pl.DataFrame(schema=ISSUE_SCHEMA)] + [
            frame.select(ROW, pl.lit(header).alias("column_name"), pl.col(name).alias("value"),
                         checked[f"__reason{i}"].alias("reason"))
            .filter(pl.col("reason").is_not_null()).cast(ISSUE_SCHEMA)
            for i, (header, name) in enumerate(columns) if broke[i]
        ],
        how="vertical",
    ).sort(ROW, maintain_order=True)


def _with_reader_issues(rule_issues: pl.DataFrame, table: TextTable) -> pl.DataFrame:
    """The reader's issues (malformed rows, formulas without a value, over-long cells) with the rule
    issues they do not already explain: none of a row that could not be split into cells, none
    of a cell the reader reports."""
    if table.issues.height == 0:
        return rule_issues
    positions = list(range(len(table.headers)))
    reader = table.issues.select(
        ROW,
        pl.col("position").replace_strict(positions, table.headers, default=None, return_dtype=pl.String)
        .alias("column_name"),
        "value", "reason", "whole_row",
    )
    explained = pl.concat([
        rule_issues.join(reader.filter("whole_row").select(ROW), on=ROW, how="semi"),
        rule_issues.join(reader.filter(~pl.col("whole_row")).select(ROW, "column_name"), on=[ROW, "column_name"],
                         how="semi"),
    ])
    return pl.concat([rule_issues.join(explained, on=list(rule_issues.columns), how="anti", nulls_equal=True),
                      reader.drop("whole_row")], how="vertical").cast(ISSUE_SCHEMA).sort(ROW, maintain_order=True)


def _code_column(column: Column) -> str:
    return f"__code_{column.name}"


def _resolver(column: Column) -> Callable[[str], str | None]:
    if column.type is T.COUNTRY:
        return lambda v: (code if (code := resolve_citizenship(v)) != UNKNOWN else None)
    if column.type is T.DISTRICT:
        return resolve_district
    assert column.values is not None
    return value_list_resolver(column.values)


def _code_mappings(frame: pl.DataFrame, columns: list[Column]) -> dict[str, tuple[list[str], list[str | None]]]:
    """Column name -> (distinct cleaned values, their codes or None), for replace_strict."""
    if not columns:
        return {}
    distinct = frame.select(clean_cell(pl.col(c.name)).drop_nulls().unique().implode().alias(c.name)
                            for c in columns).row(0)
    mappings = {}
    for column, values in zip(columns, distinct, strict=True):
        resolve = _resolver(column)
        mappings[column.name] = (values, [resolve(v) for v in values])
    return mappings


def _cell_column(column: Column) -> str:
    return f"__cell_{column.name}"  # the cleaned cell: empty -> null, stripped (but text)


def _parsed_column(column: Column) -> str:
    return f"__parsed_{column.name}"  # what _parser(column) makes of the cleaned cell


def _parser(column: Column) -> Callable[[pl.Expr], pl.Expr] | None:
    return {T.BOOLEAN: parse_boolean, T.DATE: parse_date, T.INTEGER: parse_integer,
            T.DECIMAL: parse_decimal}.get(column.type)


def _column_rules(column: Column, today: date) -> tuple[pl.Expr, pl.Expr, bool]:
    """(typed value, reason the row is quarantined or null, maps unknown values) for one column,
    read from its cleaned cell and its parsed value (check_file computes both first)."""
    cell = pl.col(_cell_column(column))
    missing = cell.is_null()
    required_reason = pl.lit("missing required value") if column.required else pl.lit(None, pl.String)
    maps_unknown = column.type in (T.ENUM, T.COUNTRY, T.DISTRICT)

    if column.type in (T.TEXT, T.KEY):
        return cell, pl.when(missing).then(required_reason), False
    if column.type is T.CLIENT_ID:
        reason = (pl.when(missing).then(required_reason)
                  .when(~is_valid_client_id(cell))
                  .then(pl.lit("invalid client ID (6 to 64 characters of A-Z a-z 0-9 _ -)"))
                  .when(is_birth_number_id(cell))
                  .then(pl.lit("the client ID is a Czech birth number, not a pseudonym "
                               "(pseudonymise the export with reach pseudonymise)")))
        return cell, reason, False
    if maps_unknown:
        code = pl.col(_code_column(column))
        empty = pl.lit(column.empty_value, pl.String)
        value = pl.when(missing).then(empty).otherwise(pl.coalesce(code, pl.lit(UNKNOWN)))
        return value, pl.when(missing).then(required_reason), True
    if column.type is T.LINKAGE_KEY:
        # The contract: anything but 64 hex characters loads as empty and is reported (a warning),
        # so one mistyped key never costs the client's row.
        return pl.when(cell.str.contains(LINKAGE_KEY_PATTERN)).then(cell.str.to_lowercase()), pl.lit(None, pl.String), \
            False
    if column.type is T.BOOLEAN:
        parsed = pl.col(_parsed_column(column))
        default = pl.lit(False) if column.name == "deleted" else pl.lit(None, pl.Boolean)
        reason = (pl.when(missing).then(required_reason)
                  .when(parsed.is_null()).then(pl.lit("not a yes/no value (ano/ne, A/N, 1/0, true/false)")))
        return pl.when(missing).then(default).otherwise(parsed), reason, False
    if column.type is T.DATE:
        parsed = pl.col(_parsed_column(column))
        latest = today + timedelta(days=column.days_ahead)
        bound = "the day of loading" if column.days_ahead == 0 else f"{column.days_ahead} days after the day of loading"
        reason = (pl.when(missing).then(required_reason)
                  .when(parsed.is_null()).then(pl.lit("not a date (d.m.yyyy or yyyy-mm-dd)"))
                  .when(~parsed.is_between(EARLIEST_DATE, latest))
                  .then(pl.lit(f"date out of range ({_day(EARLIEST_DATE)} to {_day(latest)}, {bound})")))
        return parsed, reason, False
    # Numbers.
    parsed = pl.col(_parsed_column(column))
    kind = "whole number" if column.type is T.INTEGER else "number"
    low = column.min_value
    high = today.year if column.name == "birth_year" else column.max_value
    reason = pl.when(missing).then(required_reason).when(parsed.is_null()).then(pl.lit(f"not a {kind}"))
    if column.type is T.INTEGER:  # the raw layer stores INTEGER (32-bit)
        reason = reason.when(~parsed.is_between(-(2**31), 2**31 - 1)).then(pl.lit("number too large"))
    if low is not None or high is not None:
        bounds = f"{_number(low) if low is not None else '…'} to {_number(high) if high is not None else '…'}"
        out_of_range = pl.lit(False)
        if low is not None:
            out_of_range = out_of_range | (parsed < low)
        if high is not None:
            out_of_range = out_of_range | (parsed > high)
        reason = reason.when(out_of_range).then(pl.lit(f"out of range ({bounds})"))
    sql_typed = parsed.cast(pl.Int32, strict=False) if column.type is T.INTEGER else parsed
    return sql_typed, reason, False


def _day(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _cross_column_rules(export: ExportFile) -> list[tuple[Column, pl.Expr]]:
    """Rules across columns (contract `checks`); the issue is reported on the constrained (left) column."""
    rules: list[tuple[Column, pl.Expr]] = []
    for check in export.checks:
        left, operator, right = check.split()
        left_col, right_col = export.column(left), export.column(right)
        parse = parse_date if left_col.type is T.DATE else parse_integer
        lhs, rhs = parse(clean_cell(pl.col(left))), parse(clean_cell(pl.col(right)))
        broken = {">=": lhs < rhs, "<=": lhs > rhs}[operator]
        reason = f"{left_col.header} must be {'at least' if operator == '>=' else 'at most'} {right_col.header}"
        rules.append((left_col, pl.when(broken.fill_null(False)).then(pl.lit(reason))))
    return rules


def _records(export: ExportFile, table: TextTable, positions: dict[str, int], rows: pl.DataFrame,
             wanted: pl.Series) -> pl.DataFrame:
    """The `wanted` rows as delivered, as JSON {header: cell}, of the contract columns the warehouse
    stores: unknown extra columns are never kept, and a cell holding an identifier is masked.
    Matched headers are distinct (match_headers refuses a column named twice)."""
    if wanted.len() == 0:
        return pl.DataFrame(schema={ROW: pl.Int32, "record": pl.String})
    kept = [positions[c.name] for c in export.columns if c.name in positions and is_stored(export, c)]
    names = [table.headers[p] for p in kept]
    cells = pl.concat([rows, table.cells.select(pl.col(f"c{p}").alias(n) for p, n in zip(kept, names, strict=True))],
                      how="horizontal").filter(pl.col(ROW).is_in(wanted.implode()))
    return mask_identifier_values(cells, names).select(ROW, pl.struct(names).struct.json_encode().alias("record"))


def _unknown_value_warnings(column: Column, good_text: pl.DataFrame, header: str) -> pl.DataFrame:
    cell = clean_cell(pl.col(column.name))
    what = {T.COUNTRY: "a recognised country", T.DISTRICT: "a recognised district"}.get(
        column.type, f"in the value list of '{header}'"
    )
    return good_text.filter(cell.is_not_null() & pl.col(_code_column(column)).is_null()).select(
        ROW,
        pl.lit(header).alias("column_name"),
        cell.alias("value"),
        pl.lit("unknown_value").alias("kind"),
        pl.format(f"'{{}}' is not {what}; loaded as {UNKNOWN}", cell).alias("message"),
    ).cast(WARNING_SCHEMA)


LINKAGE_KEY_WARNING = "invalid_linkage_key"  # meta.load_warnings.kind


def _linkage_key_warnings(column: Column, good_text: pl.DataFrame, header: str) -> pl.DataFrame:
    """A linkage key that is not 64 hex characters: loaded as empty, one warning naming row and column."""
    cell = clean_cell(pl.col(column.name))
    return good_text.filter(cell.is_not_null() & ~cell.str.contains(LINKAGE_KEY_PATTERN)).select(
        ROW,
        pl.lit(header).alias("column_name"),
        cell.alias("value"),
        pl.lit(LINKAGE_KEY_WARNING).alias("kind"),
        pl.lit("not a linkage key (64 hexadecimal characters); loaded as empty").alias("message"),
    ).cast(WARNING_SCHEMA)


def _duplicate_key_warnings(export: ExportFile, loaded: pl.DataFrame) -> pl.DataFrame:
    """A key repeated within one file: every row after the first is reported; the last row wins."""
    keys = [c.name for c in export.key_columns]
    key_text = pl.concat_str([pl.col(k) for k in keys], separator=" / ")
    key_headers = " / ".join(c.header for c in export.key_columns)
    # Only the key columns, in one chunk each: polars 2.1 panics ("assertion failed: i < self.len()")
    # formatting text after a filter when the columns of a frame are split into different chunks
    # (as `loaded` is once screen_free_text has replaced a column of a multi-chunk frame).
    keyed = loaded.select(ROW, *keys).rechunk()
    if keyed.select(pl.struct(keys).n_unique()).item() == keyed.height:
        return pl.DataFrame(schema=WARNING_SCHEMA)  # no key repeats (the usual file)
    return keyed.with_columns(pl.col(ROW).min().over(keys).alias("__first_row")).filter(
        pl.col(ROW) != pl.col("__first_row")
    ).select(
        ROW,
        pl.lit(key_headers).alias("column_name"),
        key_text.alias("value"),
        pl.lit("duplicate_key").alias("kind"),
        pl.format("the key '{}' already appears at row {} of this file; the later row wins",
                  key_text, pl.col("__first_row")).alias("message"),
    ).cast(WARNING_SCHEMA)
