"""Validate suites with Great Expectations on pandas batches read from DuckDB.

GX's SQL datasource over duckdb-engine returns empty metric results (GX issues #10738, #11579),
so every expectation is evaluated by GX's pandas engine instead, with memory kept bounded:
- row expectations run on the suite's projected columns only, in chunks of CHUNK_ROWS rows
  streamed from DuckDB as Arrow record batches; counts and samples are summed over chunks.
  Where an expectation's meaning is plain in SQL, DuckDB first selects the rows it could find
  unexpected (expectations/prefilter.py) and only those go to GX; the rest count as examined
  and expected.
  Each chunk is validated with GX's BOOLEAN_ONLY result format (success); the expectations that
  failed on it are validated again on the same chunk with BASIC (unexpected and element
  counts, exceptions), and those with unexpected rows, while their sample is not full, with
  SUMMARY for the failing rows' index. GX's cost is per expectation and chunk (its metric
  graph), and each richer format costs more (docs/performance.md);
- aggregate checks (uniqueness, relationships, completeness, anomalies, identifier scans) are
  computed in DuckDB (one statement per check: its violation count and sample), and GX
  validates the resulting violation counts against their bound: every check of a run in one
  GX validation of a one-row frame (`Engine.validate_all`).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from expectations import prefilter
from expectations.identifiers import identifier_scan_query
from expectations.results import SAMPLE_SIZE, Outcome
from expectations.spec import CheckSpec, ExpectationSpec, SuiteSpec
from pipelines.errors import ReachError

# Rows per pandas chunk (only the suite's projected columns) and a DuckDB memory limit for the
# gate's connection bound the gate's memory at national scale (bench/results/gate.json);
# aggregates spill to disk instead. GX pays its metric graph once per chunk and expectation,
# so fewer, larger chunks are faster (docs/performance.md).
CHUNK_ROWS = 200_000
DUCKDB_MEMORY_LIMIT = "256MB"
ROW_LABEL = "_row"
# GX result formats: success for every chunk (and for the checks' violation counts, whose count
# and sample come from DuckDB), counts where an expectation failed, the failing rows' index
# where there are some.
COUNTS = {"result_format": "BASIC"}
FAILING_ROWS = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
VERDICT = {"result_format": "BOOLEAN_ONLY"}


@dataclass(frozen=True)
class Target:
    """Where the suites' placeholders point (catalog.schema each; pipelines/raw_views.py defines them):

    - `{raw}` / `{meta}`: every row ever loaded and the load records (for reconciliations);
    - `{kept}` / `{kept_meta}`: the same without the deliveries set aside;
    - `{current}`: the current records (latest version, retractions honoured) of the kept rows;
    - `{mart}`: the marts.
    """

    raw: str  # e.g. raw.raw   (catalog.schema of the raw tables)
    meta: str  # e.g. raw.meta
    mart_catalog: str  # catalog holding the marts in its main schema
    kept: str | None = None  # default: raw (nothing set aside)
    kept_meta: str | None = None  # default: meta
    current: str | None = None  # default: kept (every row is current)

    @property
    def mart(self) -> str:
        return f'"{self.mart_catalog}".main'

    def sql(self, text: str) -> str:
        # Plain replacement, not str.format: queries hold regex braces such as [0-9]{6}.
        kept = self.kept or self.raw
        places = {"{raw}": self.raw, "{meta}": self.meta, "{mart}": self.mart, "{kept}": kept,
                  "{kept_meta}": self.kept_meta or self.meta, "{current}": self.current or kept}
        for placeholder, value in places.items():
            text = text.replace(placeholder, value)
        return text


def _gx_context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # The ephemeral context announces its temporary docs folder at INFO; keep build output quiet.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


class Engine:
    """One ephemeral GX context with a pandas dataframe asset; validates suites chunk by chunk."""

    def __init__(self, con: duckdb.DuckDBPyConnection, target: Target, chunk_rows: int = CHUNK_ROWS) -> None:
        self.con = con
        self.target = target
        self.chunk_rows = chunk_rows
        self.context = _gx_context()
        asset = self.context.data_sources.add_pandas("duckdb_frames").add_dataframe_asset("frame")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")

    def validate(self, suite: SuiteSpec) -> list[Outcome]:
        return self.validate_all([suite])

    def validate_all(self, suites: list[SuiteSpec],
                     progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
        """Every suite's outcomes in suite order (per suite: row expectations, then checks as
        listed, then the checks that could not be evaluated). The checks' violation counts of all
        suites are decided by GX in one validation at the end. `progress(suites done, suites)`."""
        parts: list[tuple[SuiteSpec, list[Outcome], dict[str, _Counted], list[Outcome]]] = []
        for done, suite in enumerate(suites):
            if progress is not None:
                progress(done, len(suites))
            rows = self._row_expectations(suite) if suite.expectations else []
            counted, broken = self._count_checks(suite)
            parts.append((suite, rows, counted, broken))
        verdicts = self._decide_checks([(suite, counted) for suite, _, counted, _ in parts])
        outcomes: list[Outcome] = []
        for suite, rows, counted, broken in parts:
            outcomes += rows
            for check in suite.checks:
                if check.id in counted:
                    outcomes.append(counted[check.id].outcome(suite.name, check, verdicts[(suite.name, check.id)]))
            outcomes += broken
        if progress is not None:
            progress(len(suites), len(suites))
        return outcomes

    # --- row expectations ---------------------------------------------------------------------

    @staticmethod
    def _expectations(suite: SuiteSpec) -> dict[str, Any]:
        """The suite's row expectations as GX builds them (rule id -> Expectation), built once per suite."""
        try:
            return {e.id: build_expectation(e.id, e.expect, e.kwargs) for e in suite.expectations}
        except Exception as error:  # GX raises its own types for unknown expectations or bad kwargs
            raise ReachError(f"Suite file {suite.path}: an expectation cannot be built ({error}).") from error

    @staticmethod
    def _gx_suite(name: str, expectations: list[Any]) -> Any:
        import great_expectations as gx

        # Copies: GX binds an expectation to the suite it is given to (a suite per chunk and result format).
        return gx.ExpectationSuite(name=name, expectations=[copy.copy(e) for e in expectations])

    def _run(self, frame: pd.DataFrame, gx_suite: Any, result_format: dict[str, Any]) -> dict[str, Any]:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(gx_suite, result_format=result_format)
        return {r.expectation_config.meta["id"]: r for r in result.results}

    def _projection_sql(self, suite: SuiteSpec) -> str:
        assert suite.table is not None
        wanted = list(dict.fromkeys(c for e in suite.expectations for c in e.columns))
        select = [f"CAST({suite.row_label or 'NULL'} AS VARCHAR) AS {ROW_LABEL}"]
        select += [f"{suite.columns[c]} AS {c}" if c in suite.columns else f'"{c}"' for c in wanted]
        return self.target.sql(f"SELECT {', '.join(select)} FROM {suite.table}")

    def _row_expectations(self, suite: SuiteSpec) -> list[Outcome]:
        tallies = {e.id: _Tally(e) for e in suite.expectations}
        projection = self._projection_sql(suite)
        # A cursor of its own: a streaming result must not block other statements on the connection.
        cursor = self.con.cursor()
        try:
            relation = cursor.sql(projection)
            types = {column: str(kind) for column, kind in zip(relation.columns, relation.types, strict=True)}
        except duckdb.Error as error:
            # A missing table or column is a structural break: every expectation on it fails.
            return [t.failed(suite.name, f"could not read {suite.table}: {error}") for t in tallies.values()]
        built = self._expectations(suite)
        filters = {e.id: prefilter.candidates(e, types, f"p{n}") for n, e in enumerate(suite.expectations)}
        narrow = {i: expectation for i, expectation in built.items() if filters[i] is not None}
        wide = {i: expectation for i, expectation in built.items() if filters[i] is None}
        if wide:  # every row goes to GX
            self._stream(relation, suite.name, wide, tallies)
        if narrow:  # only the candidates go to GX; the other rows are examined and expected
            predicates = [f for f in filters.values() if f is not None]
            where = " OR ".join(predicate for predicate, _ in predicates)
            params = {name: value for _, values in predicates for name, value in values.items()}
            # One pass counts the rows and the candidates (mostly none: then no second pass).
            [(rows, found)] = cursor.sql(f"SELECT count(*), count(*) FILTER (WHERE {where}) FROM ({projection})",
                                         params=params or None).fetchall()
            selected = f"SELECT * FROM ({projection}) WHERE {where}" if found else f"{projection} LIMIT 0"
            sent = self._stream(cursor.sql(selected, params=(params or None) if found else None),
                                suite.name, narrow, tallies)
            for rule_id in narrow:
                tallies[rule_id].passed(int(rows) - sent)
        return [t.outcome(suite.name) for t in tallies.values()]

    def _stream(self, relation: duckdb.DuckDBPyRelation, suite_name: str,
                expectations: dict[str, Any], tallies: dict[str, _Tally]) -> int:
        """Validate `expectations` (rule id -> Expectation) on the relation's rows chunk by chunk; the number
        of rows sent to GX."""
        gx_suite = self._gx_suite(suite_name, list(expectations.values()))
        reader = relation.to_arrow_reader(self.chunk_rows)
        sent = 0
        for record_batch in reader:
            sent += record_batch.num_rows
            self._tally_chunk(record_batch.to_pandas(), suite_name, gx_suite, expectations, tallies)
        if not sent:  # no rows still get their expectations evaluated (GX reports a bad argument)
            self._tally_chunk(reader.schema.empty_table().to_pandas(), suite_name, gx_suite, expectations, tallies)
        return sent

    def _tally_chunk(self, frame: pd.DataFrame, suite_name: str, gx_suite: Any,
                     expectations: dict[str, Any], tallies: dict[str, _Tally]) -> None:
        # Verdicts and counts do not depend on the index; a plain one spares pandas a hash table of
        # the row labels each time GX looks an attribute up on a column (docs/performance.md).
        plain = frame.drop(columns=ROW_LABEL)
        verdicts = self._run(plain, gx_suite, VERDICT)
        # An expectation that passed found no unexpected row among the chunk's rows; GX counts the
        # others (and reports their exceptions) on the same chunk.
        # (With `mostly` an expectation can pass with unexpected rows: always counted.)
        failed = [rule_id for rule_id, result in verdicts.items()
                  if not result.success or "mostly" in tallies[rule_id].spec.kwargs]
        counts = (self._run(plain, self._gx_suite(suite_name, [expectations[i] for i in failed]), COUNTS)
                  if failed else {})
        # The failing rows (indexed by their labels), from GX on the same chunk, where a sample has room.
        sampled = [rule_id for rule_id, result in counts.items() if tallies[rule_id].wants_rows(result)]
        rows = self._run(frame.set_index(ROW_LABEL), self._gx_suite(suite_name, [expectations[i] for i in sampled]),
                         FAILING_ROWS) if sampled else {}
        for rule_id in verdicts:
            if rule_id in counts:
                tallies[rule_id].add(counts[rule_id], rows.get(rule_id))
            else:
                tallies[rule_id].passed(len(frame))

    # --- aggregate checks ---------------------------------------------------------------------

    def _check_sql(self, check: CheckSpec) -> str:
        if check.kind == "identifier_scan":
            return identifier_scan_query(self.con, self.target, check.options)
        assert check.query is not None
        return self.target.sql(check.query)

    def _count_checks(self, suite: SuiteSpec) -> tuple[dict[str, _Counted], list[Outcome]]:
        """Each check's violation count and sample (DuckDB); the checks that could not be evaluated."""
        counted: dict[str, _Counted] = {}
        broken: list[Outcome] = []
        for check in suite.checks:
            try:
                sql = self._check_sql(check)
                counted[check.id] = self._count(sql)
            except duckdb.Error as error:
                broken.append(_check_outcome(suite.name, check, None, [], f"could not evaluate: {error}"))
        return counted, broken

    def _count(self, sql: str) -> _Counted:
        """The violations of one check query: their number and the first SAMPLE_SIZE keys in order,
        in one statement (the query runs once)."""
        try:
            row = self.con.execute(
                f"WITH found AS MATERIALIZED (SELECT CAST(failing_key AS VARCHAR) AS k FROM ({sql})) "
                f"SELECT (SELECT count(*) FROM found), "
                f"(SELECT list(k ORDER BY k) FROM (SELECT k FROM found ORDER BY k LIMIT {SAMPLE_SIZE}))"
            ).fetchall()[0]
        except duckdb.Error:
            # The two plain statements, so a broken query reports the error it always has.
            [(total,)] = self.con.execute(f"SELECT count(*) FROM ({sql})").fetchall()
            keys = self.con.execute(
                f"SELECT CAST(failing_key AS VARCHAR) FROM ({sql}) ORDER BY 1 LIMIT {SAMPLE_SIZE}").fetchall()
            return _Counted(int(total), [str(key) for (key,) in keys])
        return _Counted(int(row[0]), [str(key) for key in row[1] or []])

    def _decide_checks(self, suites: list[tuple[SuiteSpec, dict[str, _Counted]]]) -> dict[tuple[str, str], Any]:
        """GX's result for each counted check (keyed by suite and check id), from one validation of
        a one-row frame of violation counts (one column per check)."""
        keys = [(suite, check) for suite, counted in suites for check in suite.checks if check.id in counted]
        if not keys:
            return {}
        counts = {suite.name: counted for suite, counted in suites}
        frame = pd.DataFrame({f"check_{n}": [counts[suite.name][check.id].count]
                              for n, (suite, check) in enumerate(keys)})
        bounds = [build_expectation(str(n), "expect_column_values_to_be_between",
                               {"column": f"check_{n}", "min_value": 0, "max_value": check.max_violations})
                  for n, (_, check) in enumerate(keys)]
        results = self._run(frame, self._gx_suite("checks", bounds), VERDICT)
        return {(suite.name, check.id): results[str(n)] for n, (suite, check) in enumerate(keys)}


def build_expectation(rule_id: str, kind: str, kwargs: dict[str, Any]) -> Any:
    """GX's Expectation of type `kind` with `kwargs`, its rule id in its meta (results are keyed by it)."""
    from great_expectations.expectations.registry import get_expectation_impl

    return get_expectation_impl(kind)(**kwargs, meta={"id": rule_id})


@dataclass(frozen=True)
class _Counted:
    """A check's violations as DuckDB counted them."""

    count: int
    sample: list[str]

    def outcome(self, suite: str, check: CheckSpec, result: Any) -> Outcome:
        exception = _exception_message(result)
        outcome = _check_outcome(suite, check, self.count, self.sample, exception)
        outcome.success = bool(result.success) and exception is None
        return outcome


def _check_outcome(suite: str, check: CheckSpec, count: int | None, sample: list[str],
                   exception: str | None) -> Outcome:
    observed = None if count is None else f"{count} violation(s)"
    return Outcome(suite=suite, expectation=check.id, expectation_type="expect_column_values_to_be_between",
                   severity=check.severity, description=check.description, success=False,
                   observed_value=observed, element_count=None, unexpected_count=count,
                   failing_sample=sample, exception=exception)


def _exception_message(result: Any) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():  # GX nests exceptions per metric when several metrics failed
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


class _Tally:
    """Sums one row expectation's GX results over chunks."""

    def __init__(self, spec: ExpectationSpec) -> None:
        self.spec = spec
        self.success = True
        self.element_count = 0
        self.unexpected_count = 0
        self.sample: list[str] = []
        self.exception: str | None = None

    def wants_rows(self, result: Any) -> bool:
        """Whether GX's failing rows of this chunk are needed: some were found and the sample has room."""
        return (_exception_message(result) is None and int(result.result.get("unexpected_count") or 0) > 0
                and len(self.sample) < SAMPLE_SIZE)

    def add(self, result: Any, rows: Any = None) -> None:
        """A chunk's counts (GX's BASIC result) and, where asked for, its failing rows (SUMMARY)."""
        exception = _exception_message(result)
        if exception is None and rows is not None:
            exception = _exception_message(rows)
        if exception is not None:
            self.exception = self.exception or exception
            self.success = False
            return
        self.success = self.success and bool(result.success)
        self.element_count += int(result.result.get("element_count") or 0)
        self.unexpected_count += int(result.result.get("unexpected_count") or 0)
        for item in (rows.result.get("partial_unexpected_index_list") if rows is not None else None) or []:
            if len(self.sample) >= SAMPLE_SIZE:
                break
            row = item.get(ROW_LABEL) if isinstance(item, dict) else item
            values = ", ".join(f"{k}={v}" for k, v in item.items() if k != ROW_LABEL) if isinstance(item, dict) else ""
            self.sample.append(f"{row}: {values}" if values else str(row))

    def passed(self, rows: int) -> None:
        """A chunk in which GX found no unexpected row (BOOLEAN_ONLY): all its rows were examined."""
        self.element_count += rows

    def failed(self, suite: str, message: str) -> Outcome:
        self.exception = message
        self.success = False
        return self.outcome(suite)

    def outcome(self, suite: str) -> Outcome:
        observed = None if self.exception else f"{self.unexpected_count} of {self.element_count} rows unexpected"
        return Outcome(suite=suite, expectation=self.spec.id, expectation_type=self.spec.expect,
                       severity=self.spec.severity, description=self.spec.description, success=self.success,
                       observed_value=observed, element_count=self.element_count,
                       unexpected_count=self.unexpected_count, failing_sample=self.sample, exception=self.exception)
