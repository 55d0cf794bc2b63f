"""Which rows a row expectation could find unexpected, as a DuckDB predicate: the gate's pre-filter.

GX's pandas engine pays for every row it is given (and the rows cross from DuckDB into Python
first), while nearly every row passes. So for each expectation whose meaning is plain in SQL the
gate asks DuckDB for the *candidates*: a superset of the rows GX could count as unexpected. GX
then validates the candidates only, and every other row counts as examined and expected. The
predicate may select too much (GX decides each selected row exactly: a NULL, a NaN, a value
at a bound), never too little; where that cannot be said for sure (a type or value the SQL is not
written for, `mostly`, any other expectation or argument) there is no predicate and the
expectation sees every row, as before. tests/quality/test_prefilter.py holds each predicate to
GX's own verdict on every row of a frame of awkward values.

Regular expressions: DuckDB's RE2 and Python's `re` agree on the suites' patterns (classes,
anchors, counted repeats); where they differ for such patterns RE2 matches less (`\\d` and `\\w`
are ASCII, `$` is not before a final newline), which only selects more.
"""

from __future__ import annotations

from typing import Any

from expectations.spec import ExpectationSpec

NUMERIC_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "FLOAT", "DOUBLE"}
FLOAT_TYPES = {"FLOAT", "DOUBLE"}
INTEGER_TYPES = NUMERIC_TYPES - FLOAT_TYPES
ORDERED_TYPES = NUMERIC_TYPES | {"DATE", "TIMESTAMP"}
# The arguments each expectation's predicate is written for; any other argument: no predicate.
HANDLED = {
    "expect_column_values_to_not_be_null": {"column"},
    "expect_column_values_to_be_in_set": {"column", "value_set"},
    "expect_column_values_to_not_be_in_set": {"column", "value_set"},
    "expect_column_values_to_be_between": {"column", "min_value", "max_value"},
    "expect_column_values_to_match_regex": {"column", "regex"},
    "expect_column_pair_values_a_to_be_greater_than_b": {"column_A", "column_B", "or_equal", "ignore_row_if"},
}


def quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _set_matches(column_type: str, values: list[Any]) -> bool:
    """Whether DuckDB compares `values` with the column as pandas compares them in GX."""
    if column_type == "VARCHAR":
        return all(isinstance(v, str) for v in values)
    if column_type == "BOOLEAN":
        return all(isinstance(v, bool) for v in values)
    if column_type in INTEGER_TYPES:
        return all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    return False


def candidates(spec: ExpectationSpec, types: dict[str, str], name: str) -> tuple[str, dict[str, Any]] | None:
    """(SQL predicate over the projected columns, its parameters named after `name`), or None where
    every row must go to GX. `types`: DuckDB type of each projected column."""
    kwargs = spec.kwargs
    if spec.expect not in HANDLED or not set(kwargs) <= HANDLED[spec.expect]:
        return None
    if spec.expect == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = kwargs["column_A"], kwargs["column_B"]
        kinds = {types.get(a), types.get(b)}
        if not (kinds <= NUMERIC_TYPES or (len(kinds) == 1 and kinds <= ORDERED_TYPES)):
            return None
        # Either NULL (or NaN, which DuckDB orders above every number but pandas compares as
        # false): GX may count it (ignore_row_if decides), so it is a candidate.
        parts = [f"{quoted(c)} IS NULL" for c in (a, b)]
        parts += [f"isnan({quoted(c)})" for c in (a, b) if types.get(c) in FLOAT_TYPES]
        operator = ">=" if kwargs.get("or_equal") is True else ">"
        if kwargs.get("or_equal") not in (None, True, False):
            return None
        parts.append(f"NOT ({quoted(a)} {operator} {quoted(b)})")
        return "(" + " OR ".join(parts) + ")", {}
    column = kwargs["column"]
    column_type = types.get(column)
    x = quoted(column)
    if spec.expect == "expect_column_values_to_not_be_null":
        return (f"({x} IS NULL OR isnan({x}))" if column_type in FLOAT_TYPES else f"{x} IS NULL"), {}
    if spec.expect in ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set"):
        values = list(kwargs["value_set"])
        if column_type is None or not values or not _set_matches(column_type, values):
            return None
        inside = f"list_contains(${name}, {x})"
        wanted_inside = spec.expect == "expect_column_values_to_be_in_set"
        return (f"NOT {inside}" if wanted_inside else inside), {name: values}
    if spec.expect == "expect_column_values_to_be_between":
        bounds = [kwargs.get("min_value"), kwargs.get("max_value")]
        if column_type not in NUMERIC_TYPES or not all(v is None or _number(v) for v in bounds) \
                or bounds == [None, None]:
            return None
        # Equal to a bound selects too (strictness is GX's to decide); NaN sorts above every number.
        parts = [f"{x} {op} {value!r}" for op, value in (("<=", bounds[0]), (">=", bounds[1])) if value is not None]
        if column_type in FLOAT_TYPES:
            parts.append(f"isnan({x})")
        return "(" + " OR ".join(parts) + ")", {}
    if spec.expect == "expect_column_values_to_match_regex":
        if column_type != "VARCHAR" or not isinstance(kwargs["regex"], str):
            return None
        return f"NOT regexp_matches({x}, ${name})", {name: kwargs["regex"]}
    return None
