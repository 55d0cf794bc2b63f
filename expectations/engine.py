"""Validate suites with Great Expectations on pandas batches read from DuckDB.

GX's SQL datasource over duckdb-engine returns empty metric results (GX issues #10738, #11579),
so every expectation is evaluated by GX's pandas engine instead, with memory kept bounded:
- row expectations run on the suite's projected columns only, in chunks of CHUNK_ROWS rows
  streamed from DuckDB as Arrow record batches; counts and samples are summed over chunks;
- aggregate checks (uniqueness, relationships, completeness, anomalies, identifier scans) are
  computed in DuckDB, and GX validates the resulting violation counts against their bound.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from expectations.identifiers import identifier_scan_query
from expectations.results import SAMPLE_SIZE, Outcome
from expectations.spec import CheckSpec, ExpectationSpec, SuiteSpec
from pipelines.errors import ReachError

# 50,000 rows per pandas chunk and a DuckDB memory limit for the gate's connection keep the gate
# under ~0.7 GB at national scale (bench/results/gate.json); aggregates spill to disk instead.
CHUNK_ROWS = 50_000
DUCKDB_MEMORY_LIMIT = "256MB"
ROW_LABEL = "_row"


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
        outcomes = self._row_expectations(suite) if suite.expectations else []
        if suite.checks:
            outcomes += self._checks(suite)
        return outcomes

    # --- row expectations ---------------------------------------------------------------------

    def _gx_suite(self, name: str, specs: list[tuple[str, str, dict[str, Any]]]) -> Any:
        import great_expectations as gx
        from great_expectations.expectations.registry import get_expectation_impl

        expectations = [get_expectation_impl(kind)(**kwargs, meta={"id": rule_id}) for rule_id, kind, kwargs in specs]
        return gx.ExpectationSuite(name=name, expectations=expectations)

    def _run(self, frame: pd.DataFrame, gx_suite: Any) -> dict[str, Any]:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(gx_suite, result_format={"result_format": "SUMMARY",
                                                         "partial_unexpected_count": SAMPLE_SIZE})
        return {r.expectation_config.meta["id"]: r for r in result.results}

    def _projection_sql(self, suite: SuiteSpec) -> str:
        assert suite.table is not None
        wanted = list(dict.fromkeys(c for e in suite.expectations for c in e.columns))
        select = [f"CAST({suite.row_label or 'NULL'} AS VARCHAR) AS {ROW_LABEL}"]
        select += [f"{suite.columns[c]} AS {c}" if c in suite.columns else f'"{c}"' for c in wanted]
        return self.target.sql(f"SELECT {', '.join(select)} FROM {suite.table}")

    def _row_expectations(self, suite: SuiteSpec) -> list[Outcome]:
        tallies = {e.id: _Tally(e) for e in suite.expectations}
        try:
            # A cursor of its own: a streaming result must not block other statements on the connection.
            reader = self.con.cursor().sql(self._projection_sql(suite)).to_arrow_reader(self.chunk_rows)
        except duckdb.Error as error:
            # A missing table or column is a structural break: every expectation on it fails.
            return [t.failed(suite.name, f"could not read {suite.table}: {error}") for t in tallies.values()]
        try:
            gx_suite = self._gx_suite(suite.name, [(e.id, e.expect, e.kwargs) for e in suite.expectations])
        except Exception as error:  # GX raises its own types for unknown expectations or bad kwargs
            raise ReachError(f"Suite file {suite.path}: an expectation cannot be built ({error}).") from error
        seen_chunk = False
        for record_batch in reader:
            seen_chunk = True
            self._tally_chunk(record_batch.to_pandas(), gx_suite, tallies)
        if not seen_chunk:  # an empty table still gets its expectations evaluated
            self._tally_chunk(reader.schema.empty_table().to_pandas(), gx_suite, tallies)
        return [t.outcome(suite.name) for t in tallies.values()]

    def _tally_chunk(self, frame: pd.DataFrame, gx_suite: Any, tallies: dict[str, _Tally]) -> None:
        frame = frame.set_index(ROW_LABEL)
        for rule_id, result in self._run(frame, gx_suite).items():
            tallies[rule_id].add(result)

    # --- aggregate checks ---------------------------------------------------------------------

    def _check_sql(self, check: CheckSpec) -> str:
        if check.kind == "identifier_scan":
            return identifier_scan_query(self.con, self.target, check.options)
        assert check.query is not None
        return self.target.sql(check.query)

    def _checks(self, suite: SuiteSpec) -> list[Outcome]:
        counted: dict[str, tuple[int, list[str]]] = {}
        broken: list[Outcome] = []
        for check in suite.checks:
            try:
                sql = self._check_sql(check)
                total = self.con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0]
                sample = self.con.execute(
                    f"SELECT CAST(failing_key AS VARCHAR) FROM ({sql}) ORDER BY 1 LIMIT {SAMPLE_SIZE}"
                ).fetchall()
            except duckdb.Error as error:
                broken.append(_check_outcome(suite.name, check, None, [], f"could not evaluate: {error}"))
                continue
            counted[check.id] = (int(total[0]) if total else 0, [str(row[0]) for row in sample])
        if not counted:
            return broken
        # GX decides each check on a one-row frame of violation counts (one column per check).
        frame = pd.DataFrame({rule_id: [count] for rule_id, (count, _) in counted.items()})
        specs = [(c.id, "expect_column_values_to_be_between",
                  {"column": c.id, "min_value": 0, "max_value": c.max_violations})
                 for c in suite.checks if c.id in counted]
        results = self._run(frame, self._gx_suite(suite.name, specs))
        outcomes = []
        for check in suite.checks:
            if check.id not in counted:
                continue
            count, sample = counted[check.id]
            result = results[check.id]
            exception = _exception_message(result)
            outcome = _check_outcome(suite.name, check, count, sample, exception)
            outcome.success = bool(result.success) and exception is None
            outcomes.append(outcome)
        return outcomes + broken


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

    def add(self, result: Any) -> None:
        exception = _exception_message(result)
        if exception is not None:
            self.exception = self.exception or exception
            self.success = False
            return
        self.success = self.success and bool(result.success)
        self.element_count += int(result.result.get("element_count") or 0)
        self.unexpected_count += int(result.result.get("unexpected_count") or 0)
        for item in result.result.get("partial_unexpected_index_list") or []:
            if len(self.sample) >= SAMPLE_SIZE:
                break
            row = item.get(ROW_LABEL) if isinstance(item, dict) else item
            values = ", ".join(f"{k}={v}" for k, v in item.items() if k != ROW_LABEL) if isinstance(item, dict) else ""
            self.sample.append(f"{row}: {values}" if values else str(row))

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
